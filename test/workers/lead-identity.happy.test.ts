import { describe, expect, it } from "vitest";
import { type CaptureInput, captureLead } from "../../workers/domain/capture/capture-lead";
import type { LeadDetailJson, LeadExportJson } from "../support/response-json";
import { call, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { domainContext, uniqueChatId } from "../support/workers/outbox-harness";

const capture = (workspaceId: string, input: CaptureInput) =>
  captureLead(
    { ctx: domainContext(), workspace: { id: workspaceId, defaultCountry: "US" }, actor: { type: "prospect" } },
    input,
  );

async function identitiesOf(workspaceId: string) {
  const rs = await testDb().execute({
    sql: `SELECT kind, address, lead_id FROM lead_identity WHERE workspace_id = ? ORDER BY kind, address`,
    args: [workspaceId],
  });
  return rs.rows.map((r) => ({ kind: String(r.kind), address: String(r.address), leadId: String(r.lead_id) }));
}

describe("channel identities", () => {
  it("finds a lead again by an identity of a kind no code knows, and keeps one lead per address", async () => {
    const ws = await seedWorkspace();
    const address = `user-${crypto.randomUUID()}`;
    const first = await capture(ws.id, {
      source: "api",
      name: "Jay Son",
      identities: [{ kind: "test-json", address }],
      message: "first",
    });
    expect(first.created).toBe(true);

    const again = await capture(ws.id, {
      source: "api",
      identities: [{ kind: "test-json", address }],
      message: "second",
    });
    expect(again).toMatchObject({ created: false, recorded: true });
    expect(again.lead.id).toBe(first.lead.id);
    expect(again.lead.name).toBe("Jay Son");

    // The same address under another kind is another person; an email they add later joins the lead.
    const other = await capture(ws.id, { source: "api", identities: [{ kind: "test-other", address }] });
    expect(other.created).toBe(true);
    const email = uniqueEmail();
    const withEmail = await capture(ws.id, { source: "api", email, identities: [{ kind: "test-json", address }] });
    expect(withEmail.lead).toMatchObject({ id: first.lead.id, email });

    expect(await identitiesOf(ws.id)).toEqual([
      { kind: "test-json", address, leadId: first.lead.id },
      { kind: "test-other", address, leadId: other.lead.id },
    ]);
    const events = (await call<LeadDetailJson>("GET", `/api/v1/leads/${first.lead.id}`, { key: ws.key })).json
      .events as {
      type: string;
    }[];
    expect(events.filter((e) => e.type === "re-inquiry")).toHaveLength(2);
  });

  it("a known email brings a new identity to its lead; an identity held by another lead stays there", async () => {
    const ws = await seedWorkspace();
    const email = uniqueEmail();
    const formLead = await capture(ws.id, { source: "form", email, name: "Form Person" });
    const held = `held-${crypto.randomUUID()}`;
    const holder = await capture(ws.id, { source: "api", identities: [{ kind: "test-json", address: held }] });

    const fresh = `fresh-${crypto.randomUUID()}`;
    const both = await capture(ws.id, {
      source: "api",
      email,
      identities: [
        { kind: "test-json", address: fresh },
        { kind: "test-json", address: held },
      ],
    });
    // Email comes first in dedup precedence: the form lead, which gains the free address only.
    expect(both).toMatchObject({ created: false });
    expect(both.lead.id).toBe(formLead.lead.id);
    expect(await identitiesOf(ws.id)).toEqual(
      [
        { kind: "test-json", address: fresh, leadId: formLead.lead.id },
        { kind: "test-json", address: held, leadId: holder.lead.id },
      ].sort((a, b) => a.address.localeCompare(b.address)),
    );
  });

  it("rejects an identity kind that is not a slug, naming the field", async () => {
    const ws = await seedWorkspace();
    await expect(
      capture(ws.id, { source: "api", identities: [{ kind: "Telegram User", address: "1" }] }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: { "identities.0.kind": expect.any(String) } });
    expect(await identitiesOf(ws.id)).toEqual([]);
  });

  it("the Telegram shorthand is the identity of kind telegram: one lead, found by either", async () => {
    const ws = await seedWorkspace();
    const chat = uniqueChatId();
    const first = await capture(ws.id, { source: "telegram", telegramUserId: chat, name: "Tess" });
    const again = await capture(ws.id, { source: "telegram", identities: [{ kind: "telegram", address: chat }] });
    expect(again).toMatchObject({ created: false });
    expect(again.lead.id).toBe(first.lead.id);
    expect(first.lead.telegramUserId).toBe(chat);
    expect(await identitiesOf(ws.id)).toEqual([{ kind: "telegram", address: chat, leadId: first.lead.id }]);
  });

  it("erasure deletes the lead's identities, export lists them; writing again makes a new lead", async () => {
    const ws = await seedWorkspace();
    const address = `user-${crypto.randomUUID()}`;
    const chat = uniqueChatId();
    const { lead } = await capture(ws.id, {
      source: "telegram",
      telegramUserId: chat,
      identities: [{ kind: "test-json", address }],
    });
    const exported = await call<LeadExportJson>("GET", `/api/v1/leads/${lead.id}/export`, { key: ws.key });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.json.lead_identity).toEqual([
      expect.objectContaining({ kind: "telegram", address: chat }),
      expect.objectContaining({ kind: "test-json", address }),
    ]);

    const erased = await call("DELETE", `/api/v1/leads/${lead.id}`, { key: ws.key });
    expect(erased.status, erased.text).toBeLessThan(300);
    expect(await identitiesOf(ws.id)).toEqual([]);
    const row = await testDb().execute({ sql: `SELECT telegram_user_id FROM lead WHERE id = ?`, args: [lead.id] });
    expect(row.rows[0]?.telegram_user_id).toBeNull();
    // The Telegram address is suppressed (reason erased) until the person writes again.
    const suppressed = await testDb().execute({
      sql: `SELECT sender, address FROM suppression WHERE workspace_id = ? AND reason = 'erased'`,
      args: [ws.id],
    });
    expect(suppressed.rows.map((r) => [r.sender, r.address])).toEqual([["telegram", chat]]);

    const back = await capture(ws.id, { source: "api", identities: [{ kind: "test-json", address }] });
    expect(back.created).toBe(true);
    expect(back.lead.id).not.toBe(lead.id);
  });
});
