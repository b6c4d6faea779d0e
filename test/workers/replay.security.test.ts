import { describe, expect, it } from "vitest";
import type { LeadCreatedJson, LeadDetailJson, LeadJson, ListJson } from "../support/response-json";
import { call, leadRows, seedWorkspace, submit, uniqueEmail } from "../support/workers/harness";
import { fakeCalls, tick } from "../support/workers/outbox-harness";
import {
  MESSAGE_FIXTURES,
  postWebhook,
  repOnWhatsapp,
  retarget,
  STATUS_FIXTURES,
  uniqueSuffix,
  uniqueWaId,
  waFixture,
  waState,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

/**
 * Replays. A web form has no delivery id: posting the same submission again is, by design, the same
 * person asking again, so it is one lead with a `re-inquiry` event per repeat (docs/api.md "Form capture").
 * Webhooks are different: Telegram's update_id and WhatsApp's message id make a replay record nothing.
 */
describe("replaying the same submission 3×", () => {
  it("public form: one lead; events created, assigned, re-inquiry twice; first-touch data unchanged", async () => {
    const ws = await seedWorkspace();
    const body = {
      name: "Replay",
      email: uniqueEmail(),
      phone: "+1 415 555 0177",
      message: "once",
      page_url: "https://acme.test/?utm_source=ad",
    };
    for (let i = 0; i < 3; i++) expect((await submit(ws.form.publicKey, body)).status).toBe(200);
    // + one `assigned` event from routing: the returning lead stays with its owner, so no more.
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 3, events: 4 });
    const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    expect(lead).toMatchObject({ name: "Replay", utmSource: "ad", message: "once" });
    const events = (await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key })).json.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual(["created", "assigned", "re-inquiry", "re-inquiry"]);
  });

  it("owner API capture: 201 then 200, 200 with created:false; one lead, three inquiry events", async () => {
    const ws = await seedWorkspace();
    const body = { name: "Api Replay", email: uniqueEmail() };
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body })).status);
    expect(statuses).toEqual([201, 200, 200]);
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 3, events: 4 });
  });

  // Telegram: every fixture update is replayed 3× in telegram-hook.security.test.ts.

  it("WhatsApp webhook: every fixture message and status replayed 3× → one lead, one event, one send", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Thanks {name}!" });
    await repOnWhatsapp(num, num.ws.reps[0]!.id);
    await repOnWhatsapp(num, num.ws.reps[1]!.id);
    const fixtures = [...MESSAGE_FIXTURES.map(([name]) => name), "message_username_only", ...STATUS_FIXTURES];
    // Everything a delivery can write, and every Graph call, for one contact.
    const snapshot = async (wa: string) => ({ rows: await waState(num), calls: (await fakeCalls(wa)).length });
    for (const name of fixtures) {
      const wa = uniqueWaId();
      const bsuid = name === "message_username_only" ? `US.${uniqueSuffix()}` : undefined;
      const payload = retarget(
        await waFixture(name),
        num,
        { waId: wa, ...(bsuid ? { userId: bsuid } : {}) },
        uniqueSuffix(),
      );
      expect((await postWebhook(num, payload)).status, name).toBe(200);
      // Let the first delivery's sends finish (they run after the response).
      await tick(Date.now());
      const first = await snapshot(wa);
      for (let i = 0; i < 3; i++) {
        const res = await postWebhook(num, payload);
        expect(res.status, name).toBe(200);
      }
      await tick(Date.now());
      expect(await snapshot(wa), name).toEqual(first);
    }
    const { leads } = await waState(num);
    // One lead per message fixture (status fixtures create none).
    expect(leads).toBe(MESSAGE_FIXTURES.length + 1);
  });
});
