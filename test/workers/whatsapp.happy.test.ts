import { describe, expect, it } from "vitest";
import type { ListJson } from "../support/response-json";
import { call } from "../support/workers/harness";
import { fakeCalls } from "../support/workers/outbox-harness";
import {
  graphSendsTo,
  postWebhook,
  retarget,
  uniqueSuffix,
  uniqueWaId,
  type WhatsappChannelJson,
  waEvents,
  waFixture,
  waLeads,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

describe("whatsapp: connecting a number", () => {
  it("checks the number with the Graph API, stores it, lists it with masked secrets and the webhook URL", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi {name}!" });
    const check = await fakeCalls(`pn${num.phoneNumberId}`);
    expect(check).toHaveLength(1);
    expect(check[0]!.authorization).toBe(`Bearer ${num.accessToken}`);
    const list = await call<ListJson<WhatsappChannelJson>>("GET", "/api/v1/channels/whatsapp", { key: num.ws.key });
    expect(list.status).toBe(200);
    expect(list.json.data).toHaveLength(1);
    expect(list.json.data[0]).toMatchObject({
      id: num.channelId,
      kind: "whatsapp",
      phoneNumberId: num.phoneNumberId,
      displayPhoneNumber: "15550783881",
      verifiedName: "Lucky Shrub",
      webhookUrl: `https://leadrelay.test/hooks/whatsapp/${num.channelId}`,
      autoReplyText: "Hi {name}!",
      accessToken: `\u2022\u2022\u2022\u2022${num.accessToken.slice(-4)}`,
    });
    for (const s of [num.accessToken, num.appSecret, num.verifyToken]) expect(list.text).not.toContain(s);
  });
});

describe("whatsapp: intake", () => {
  it("a first text makes the lead with profile name, wa_id, phone and BSUID; auto-reply in the window", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi {name}, thanks for writing!" });
    const wa = uniqueWaId();
    const payload = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
    const res = await postWebhook(num, payload);
    expect(res.status).toBe(200);
    const [lead, ...rest] = await waLeads(num.ws.id);
    expect(rest).toHaveLength(0);
    expect(lead).toMatchObject({
      source: "whatsapp",
      name: "Dana Reyes",
      whatsapp_id: wa,
      phone: `+${wa}`,
      whatsapp_user_id: `US.${wa}`,
      message: "Do you install garden lighting?",
      utm_source: "whatsapp",
    });
    const created = (await waEvents(lead!.id)).find((e) => e.type === "created")!;
    const msgId = payload.entry[0].changes[0].value.messages[0].id;
    expect(created.dedup_key).toBe(`wa:${msgId}`);
    const [reply] = await graphSendsTo(wa, 1);
    expect(reply!.path).toBe(`/graph/${num.phoneNumberId}/messages`);
    expect(reply!.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: wa,
      type: "text",
      text: { body: "Hi Dana Reyes, thanks for writing!", preview_url: false },
    });
  });
});
