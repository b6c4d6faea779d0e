import { describe, expect, it } from "vitest";
import type { ListJson } from "../support/response-json";
import { call, testDb } from "../support/workers/harness";
import {
  graphSendsTo,
  postWebhook,
  retarget,
  uniqueSuffix,
  uniqueWaId,
  type WhatsappChannelJson,
  waFixture,
  waLeads,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

const inboundOf = async (channelId: string) =>
  Number(
    (
      await testDb().execute({
        sql: `SELECT count(*) AS n FROM whatsapp_inbound WHERE channel_id = ?`,
        args: [channelId],
      })
    ).rows[0]!.n,
  );

describe("whatsapp: several numbers of one Meta app", () => {
  it("a change for number B sent to A's URL is handled as B's; an unconnected number is recorded, shown", async () => {
    const appSecret = `shared-app-secret-${uniqueSuffix()}`;
    // The harness returns its own random secret; both numbers were connected with the shared one.
    const a = { ...(await workspaceWithNumber({ appSecret, autoReplyText: "Hi from A" })), appSecret };
    const b = { ...(await workspaceWithNumber({ appSecret, autoReplyText: "Hi from B" }, a.ws)), appSecret };
    const wa = uniqueWaId();
    const forB = retarget(await waFixture("message_text"), b, { waId: wa }, uniqueSuffix());

    // Meta calls the app's one callback URL (A's), signed with the app secret.
    const res = await postWebhook(a, forB);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ handled: 1, dropped: 0, unknownNumbers: [] });
    const lead = (await waLeads(a.ws.id)).find((l) => l.whatsapp_id === wa)!;
    expect(lead).toBeDefined();
    expect(await inboundOf(b.channelId)).toBe(1);
    expect(await inboundOf(a.channelId)).toBe(0);
    // The auto-reply goes out from B, the number the prospect wrote to.
    const [reply] = await graphSendsTo(wa, 1);
    expect(reply!.path).toBe(`/graph/${b.phoneNumberId}/messages`);
    expect(reply!.body.text.body).toBe("Hi from B");
    // A redelivery to B's own URL is a duplicate, not a second lead.
    expect((await postWebhook(b, forB)).json).toMatchObject({ handled: 0, duplicates: 1 });
    expect((await waLeads(a.ws.id)).filter((l) => l.whatsapp_id === wa)).toHaveLength(1);

    // A number of the app that this workspace never connected: recorded on A's status, not silently dropped.
    const unknown = { phoneNumberId: "109876543210987" };
    const forUnknown = retarget(await waFixture("message_text"), unknown, { waId: uniqueWaId() }, uniqueSuffix());
    const res2 = await postWebhook(a, forUnknown);
    expect(res2.status).toBe(200);
    expect(res2.json.unknownNumbers).toEqual([unknown.phoneNumberId]);
    const list = (await call<ListJson<WhatsappChannelJson>>("GET", "/api/v1/channels/whatsapp", { key: a.ws.key })).json
      .data;
    expect(list.find((c) => c.id === a.channelId)!.unknownNumbers).toEqual([
      { phoneNumberId: unknown.phoneNumberId, messages: 1, statuses: 0, lastAt: expect.any(Number) },
    ]);
  });

  it("a number under another app secret is not trusted by this signature", async () => {
    const a = await workspaceWithNumber();
    const c = await workspaceWithNumber({}, a.ws);
    const wa = uniqueWaId();
    const res = await postWebhook(a, retarget(await waFixture("message_text"), c, { waId: wa }, uniqueSuffix()));
    expect(res.status).toBe(200);
    expect(res.json.unknownNumbers).toEqual([c.phoneNumberId]);
    expect((await waLeads(a.ws.id)).some((l) => l.whatsapp_id === wa)).toBe(false);
    expect(await inboundOf(c.channelId)).toBe(0);
  });
});
