import { afterEach, describe, expect, it } from "vitest";
import { appBehindFaultProxy, setDatabase } from "../support/workers/fault";
import { testDb } from "../support/workers/harness";
import { fakeApiUrl } from "../support/workers/outbox-harness";
import {
  retarget,
  sign,
  type TestNumber,
  uniqueSuffix,
  uniqueWaId,
  waFixture,
  waLeads,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

const app = () => appBehindFaultProxy({ WHATSAPP_GRAPH_URL: `${fakeApiUrl}/graph` });
const post = async (num: TestNumber, raw: string) =>
  app().request(`/hooks/whatsapp/${num.channelId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": await sign(raw, num.appSecret) },
    body: raw,
  });

async function state(num: TestNumber) {
  const rs = await testDb().execute({
    sql: `SELECT (SELECT count(*) FROM lead WHERE workspace_id = :ws) AS leads,
                 (SELECT count(*) FROM lead_event WHERE workspace_id = :ws
                   AND type IN ('created', 're-inquiry', 'message')) AS inquiries,
                 (SELECT count(*) FROM outbox WHERE workspace_id = :ws AND kind = 'auto_reply') AS replies,
                 (SELECT count(*) FROM whatsapp_inbound WHERE channel_id = :ch) AS inbound`,
    args: { ws: num.ws.id, ch: num.channelId },
  });
  return Object.fromEntries(Object.entries(rs.rows[0]!).map(([k, v]) => [k, Number(v)]));
}

describe("whatsapp webhook when storage fails", () => {
  afterEach(() => setDatabase("up"));

  it("database down → 503 (Meta redelivers), nothing stored; the redelivery is handled once", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const raw = JSON.stringify(retarget(await waFixture("message_text"), num, { waId: uniqueWaId() }, uniqueSuffix()));
    await setDatabase("down");
    const res = await post(num, raw);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("STORAGE_UNAVAILABLE");
    await setDatabase("up");
    expect(await state(num)).toEqual({ leads: 0, inquiries: 0, replies: 0, inbound: 0 });
    expect((await post(num, raw)).status).toBe(200);
    expect(await state(num)).toEqual({ leads: 1, inquiries: 1, replies: 1, inbound: 1 });
    expect((await post(num, raw)).status).toBe(200);
    expect(await state(num)).toEqual({ leads: 1, inquiries: 1, replies: 1, inbound: 1 });
  });

  it("capture committed, answer lost → 5xx; the redelivery completes with no 2nd lead, event or reply", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const wa = uniqueWaId();
    const raw = JSON.stringify(retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()));
    await setDatabase("drop-write-response");
    expect((await post(num, raw)).status).toBeGreaterThanOrEqual(500);
    await setDatabase("up");
    // Whatever landed is whole (batches are atomic): the message is marked handled in its lead's batch, so it is
    // marked exactly when its lead and event landed, and a redelivery either completes it or skips it.
    const partial = await state(num);
    expect(partial.inbound).toBe(partial.inquiries);
    expect(partial.leads).toBe(partial.inquiries);
    expect((await post(num, raw)).status).toBe(200);
    expect(await state(num)).toEqual({ leads: 1, inquiries: 1, replies: 1, inbound: 1 });
    expect((await waLeads(num.ws.id))[0]!.whatsapp_id).toBe(wa);
  });
});
