import { describe, expect, it } from "vitest";
import type { ErrorBody, RepJson } from "../support/response-json";
import { call, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { eventually, fakeApiUrl, fakeCalls } from "../support/workers/outbox-harness";

// The test-only JSON channel (test/support/workers/json-channel/), registered only in the test entry's list:
// from its webhook to a lead, the rep's alert, the auto-reply and the rep's answer, with no shared file naming it.
describe("a channel added through the list alone", () => {
  async function connected() {
    const ws = await seedWorkspace({ reps: [] });
    const repEmail = uniqueEmail();
    const rep = await call<RepJson>("POST", "/api/v1/reps", { key: ws.key, body: { name: "Jo", email: repEmail } });
    expect(rep.status).toBe(201);
    const path = `/hook/json-${crypto.randomUUID()}`;
    const secret = crypto.randomUUID();
    const channel = await call<{ id: string }>("POST", "/api/v1/channels/json", {
      key: ws.key,
      body: { callbackUrl: `${fakeApiUrl}${path}`, secret, autoReplyText: "Thanks, we will answer soon." },
    });
    expect(channel.status).toBe(201);
    const post = (body: unknown, token = secret) =>
      call<{ leadId: string } & ErrorBody>("POST", `/hooks/json/${channel.json.id}`, {
        body,
        headers: { "x-json-secret": token },
      });
    return { ws, repId: rep.json.id as string, repEmail, path, post };
  }

  it("a message becomes a lead with an auto-reply and an alert; the rep's tap and answer reach back", async () => {
    const { repId, repEmail, path, post } = await connected();
    // Known to the platform by its own id; found again by it (lead_identity), not by an email.
    const prospect = `u-${crypto.randomUUID()}`;
    const first = await post({ id: "m1", from: { id: prospect, name: "Pat Doe" }, text: "Do you ship to Oslo?" });
    expect(first.status).toBe(200);
    const leadId: string = first.json.leadId;
    // Redelivered: nothing new.
    expect(
      (await post({ id: "m1", from: { id: prospect, name: "Pat Doe" }, text: "Do you ship to Oslo?" })).json,
    ).toMatchObject({ leadId, recorded: false });
    // A second message from the same platform id is the same lead.
    expect((await post({ id: "m2", from: { id: prospect }, text: "And to Bergen?" })).json.leadId).toBe(leadId);

    const sent = await eventually(async () => {
      const calls = await fakeCalls(path);
      if (calls.length < 2) throw new Error(`expected 2 sends, got ${calls.length}`);
      return calls;
    });
    const toProspect = sent.filter((c) => c.body.to === prospect);
    const toRep = sent.filter((c) => c.body.to === repEmail);
    expect(toProspect.map((c) => c.body.text)).toEqual(["Thanks, we will answer soon."]);
    expect(toRep).toHaveLength(1);
    expect(toRep[0]!.body.text).toContain("Pat Doe");
    expect(toRep[0]!.body.actions).toContainEqual({ id: `l:claim:${leadId}`, label: "Claim" });
    const lead = await testDb().execute({ sql: `SELECT owner_rep_id FROM lead WHERE id = ?`, args: [leadId] });
    expect(lead.rows[0]).toMatchObject({ owner_rep_id: repId });

    // The rep taps Claim, then answers the prospect through the channel.
    expect((await post({ id: "r1", from: { id: "rep-1", email: repEmail }, action: `l:claim:${leadId}` })).status).toBe(
      200,
    );
    const claimed = await testDb().execute({ sql: `SELECT claimed_at FROM lead WHERE id = ?`, args: [leadId] });
    expect(claimed.rows[0]!.claimed_at).not.toBeNull();
    const reply = { id: "r2", from: { id: "rep-1", email: repEmail }, leadId, text: "Yes, in two days." };
    expect((await post(reply)).status).toBe(200);
    expect((await post(reply)).status).toBe(200);
    const answered = await eventually(async () => {
      const calls = (await fakeCalls(path)).filter((c) => c.body.to === prospect);
      if (calls.length < 2) throw new Error("reply not sent yet");
      return calls;
    });
    expect(answered.map((c) => c.body.text)).toEqual(["Thanks, we will answer soon.", "Yes, in two days."]);
    const rows = await testDb().execute({
      sql: `SELECT kind, sender, state FROM outbox WHERE lead_id = ? ORDER BY created_at, id`,
      args: [leadId],
    });
    expect(rows.rows.map((r) => `${r.kind}:${r.sender}`).sort()).toEqual(
      ["auto_reply:json", "rep_alert:json", "rep_reply:json"].sort(),
    );
  });

  it("its webhook refuses a wrong secret and names the bad field, writing nothing", async () => {
    const { ws, post } = await connected();
    expect((await post({ id: "x", from: { id: "u1", email: uniqueEmail() }, text: "hi" }, "wrong")).status).toBe(401);
    const bad = await post({ id: "x", from: { id: "u1", email: "not-an-email" }, text: "hi" });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields!)).toEqual(["from.email"]);
    const leads = await testDb().execute({
      sql: `SELECT count(*) AS n FROM lead WHERE workspace_id = ?`,
      args: [ws.id],
    });
    expect(Number(leads.rows[0]!.n)).toBe(0);
  });
});
