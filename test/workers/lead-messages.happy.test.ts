import { describe, expect, it } from "vitest";
import type { LeadDetailJson } from "../support/response-json";
import { call, seedWorkspace } from "../support/workers/harness";
import { eventually, scriptFake } from "../support/workers/outbox-harness";
import {
  postWebhook,
  retarget,
  uniqueSuffix,
  uniqueWaId,
  waFixture,
  waLeads,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

/** The lead as the API returns it, once its outbound messages have settled (sent or failed). */
async function settledLead(key: string, leadId: string) {
  return eventually(async () => {
    const res = await call<LeadDetailJson>("GET", `/api/v1/leads/${leadId}`, { key });
    if (res.json.messages.some((m: { status: string }) => m.status === "pending")) throw new Error("still pending");
    return res;
  });
}

describe("GET /api/v1/leads/{id}: the conversation with delivery statuses", () => {
  it("lists the prospect's messages and ours, with channel, status and the error of one that failed", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Thanks for writing!" });
    const wa = uniqueWaId();
    expect(
      (await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()))).status,
    ).toBe(200);
    const second = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
    second.entry[0].changes[0].value.messages[0].text.body = "Do you deliver on Saturdays?";
    expect((await postWebhook(num, second)).status).toBe(200);
    const lead = (await waLeads(num.ws.id)).find((l) => l.whatsapp_id === wa)!;

    const res = await settledLead(num.ws.key, lead.id);
    expect(res.status).toBe(200);
    expect(res.json.messages).toEqual([
      expect.objectContaining({
        direction: "in",
        channel: "whatsapp",
        kind: "message",
        text: "Do you install garden lighting?",
        status: "received",
        error: null,
      }),
      expect.objectContaining({
        direction: "out",
        channel: "whatsapp",
        kind: "auto_reply",
        text: "Thanks for writing!",
        status: "sent",
        error: null,
      }),
      expect.objectContaining({
        direction: "in",
        channel: "whatsapp",
        text: "Do you deliver on Saturdays?",
        status: "received",
      }),
    ]);

    // A prospect whose number Meta refuses: the auto-reply is failed, with Meta's reason.
    const other = uniqueWaId();
    await scriptFake(other, ["wa_131047"]);
    expect(
      (await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: other }, uniqueSuffix()))).status,
    ).toBe(200);
    const failedLead = (await waLeads(num.ws.id)).find((l) => l.whatsapp_id === other)!;
    const failed = (await settledLead(num.ws.key, failedLead.id)).json.messages.find(
      (m: { direction: string }) => m.direction === "out",
    );
    expect(failed).toMatchObject({ kind: "auto_reply", status: "failed", error: expect.stringMatching(/131047/) });

    // Another workspace's key sees neither the lead nor its messages.
    const stranger = await seedWorkspace();
    expect((await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: stranger.key })).status).toBe(404);
  });
});
