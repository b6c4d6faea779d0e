import { describe, expect, it } from "vitest";
import { verifyHubSignature } from "../../workers/lib/hub-signature";
import { call, type ErrorBody, isErrorShape } from "../support/workers/harness";
import { fakeCalls } from "../support/workers/outbox-harness";
import {
  postWebhook,
  retarget,
  sign,
  uniqueSuffix,
  uniqueWaId,
  waFixture,
  waState,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

// Webhook authentication: each forged or missing secret → 401 and nothing stored, nothing sent.
// Telegram's are in telegram.security.test.ts.
describe("webhook signatures and secrets: WhatsApp", () => {
  it("the X-Hub-Signature-256 vector verifies over the raw (\\u-escaped) bytes, not a re-encoding", async () => {
    const v = await waFixture("signature_vector");
    const escaped = new TextEncoder().encode(v.raw_body_escaped);
    expect(await verifyHubSignature(v.app_secret, escaped, v.x_hub_signature_256)).toBe(true);
    expect(
      await verifyHubSignature(
        v.app_secret,
        escaped,
        v.x_hub_signature_256.toUpperCase().replace("SHA256=", "sha256="),
      ),
    ).toBe(true);
    // The same text as literal UTF-8 (what a re-serialized body would be) has another MAC.
    const utf8 = new TextEncoder().encode(v.raw_body_utf8);
    expect(await verifyHubSignature(v.app_secret, utf8, v.x_hub_signature_256)).toBe(false);
    expect(await verifyHubSignature(v.app_secret, utf8, `sha256=${v.hmac_sha256_hex_of_utf8_body}`)).toBe(true);
    expect(await verifyHubSignature("another secret", escaped, v.x_hub_signature_256)).toBe(false);
    expect(await verifyHubSignature(v.app_secret, escaped, v.x_hub_signature_256.replace("sha256=", "sha1="))).toBe(
      false,
    );
    expect(await verifyHubSignature(v.app_secret, escaped, null)).toBe(false);
  });

  it("each app secret checks with its own key, also once other secrets were seen", async () => {
    const body = new TextEncoder().encode('{"object":"whatsapp_business_account","entry":[]}');
    const secrets = ["secret-a", "secret-b", "secret-a", "secret-c", "secret-b"];
    for (const secret of secrets) {
      for (const other of secrets) {
        expect(await verifyHubSignature(secret, body, await sign(body, other))).toBe(secret === other);
      }
    }
  });

  it("a body with non-ASCII escaped as Meta sends it is accepted as signed over those bytes", async () => {
    const num = await workspaceWithNumber();
    const payload = retarget(await waFixture("message_text"), num, { waId: uniqueWaId() }, uniqueSuffix());
    payload.entry[0].changes[0].value.messages[0].text.body = "J'ai mangé des pâtes みどりいろ";
    const escaped = JSON.stringify(payload).replace(
      /[^\0-~]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    expect((await postWebhook(num, escaped)).status).toBe(200);
    const { waLeads } = await import("../support/workers/whatsapp-harness");
    expect((await waLeads(num.ws.id))[0]!.message).toBe("J'ai mangé des pâtes みどりいろ");
  });

  it("missing X-Hub-Signature-256 → 401, no side effect", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const wa = uniqueWaId();
    const payload = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
    const before = await waState(num);
    for (const sig of [null, "", "sha256=", "sha256"]) {
      const res = await postWebhook(num, payload, sig);
      expect(res.status).toBe(401);
      expect(isErrorShape(res.json)).toBe(true);
    }
    expect(await waState(num)).toEqual(before);
    expect(await fakeCalls(wa)).toEqual([]);
  });

  it("signed over another body or with another secret → 401, no effect; then the real one is handled", async () => {
    const num = await workspaceWithNumber({ autoReplyText: "Hi!" });
    const other = await workspaceWithNumber();
    const wa = uniqueWaId();
    const payload = retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix());
    const raw = JSON.stringify(payload);
    const good = await sign(raw, num.appSecret);
    const before = await waState(num);
    const forged = [
      await sign(raw, other.appSecret),
      await sign(raw, num.verifyToken),
      await sign(`${raw} `, num.appSecret),
      await sign(JSON.stringify(payload, null, 1), num.appSecret),
      good.slice(0, -1) + (good.endsWith("0") ? "1" : "0"),
      good.replace("sha256=", "sha1="),
      `${good}00`,
    ];
    for (const sig of forged) {
      const res = await postWebhook(num, raw, sig);
      expect(res.status, sig).toBe(401);
      expect(isErrorShape(res.json)).toBe(true);
    }
    // The same signature on another number's webhook (another app secret).
    expect((await postWebhook(other, raw, good)).status).toBe(401);
    expect(await waState(num)).toEqual(before);
    expect(await fakeCalls(wa)).toEqual([]);
    expect((await postWebhook(num, raw, good)).status).toBe(200);
    expect((await waState(num)).leads).toBe(1);
  });

  it("GET verification: the right hub.verify_token echoes hub.challenge; a wrong one → 403, no echo", async () => {
    const v = await waFixture("webhook_verification");
    const num = await workspaceWithNumber({ verifyToken: v.query["hub.verify_token"] });
    const q = (params: Record<string, string>) => `/hooks/whatsapp/${num.channelId}?${new URLSearchParams(params)}`;
    const ok = await call("GET", q(v.query));
    expect(ok.status).toBe(v.expected_response.status);
    expect(ok.text).toBe(v.expected_response.body);
    for (const bad of [
      { ...v.query, "hub.verify_token": "wrong" },
      { ...v.query, "hub.verify_token": `${v.query["hub.verify_token"]}x` },
      { ...v.query, "hub.verify_token": "" },
      { ...v.query, "hub.mode": "unsubscribe" },
      { "hub.mode": "subscribe", "hub.challenge": v.query["hub.challenge"] },
    ]) {
      const res = await call("GET", q(bad));
      expect(res.status).toBe(403);
      expect(res.text).not.toContain(v.query["hub.challenge"]);
      expect(isErrorShape(res.json)).toBe(true);
    }
    expect((await call("GET", `/hooks/whatsapp/chan_nope?${new URLSearchParams(v.query)}`)).status).toBe(404);
  });

  it("unknown channel → 404; signed non-webhook → 400; secrets never listed; rejected tokens 422", async () => {
    const num = await workspaceWithNumber();
    expect(
      (await postWebhook({ channelId: "chan_nope", appSecret: num.appSecret }, { object: "x", entry: [] })).status,
    ).toBe(404);
    for (const body of ["not json", "[]", '{"hello":1}', '{"object":"whatsapp_business_account","entry":{}}']) {
      const res = await postWebhook(num, body);
      expect(res.status, body).toBe(400);
      expect(isErrorShape(res.json)).toBe(true);
    }
    const list = await call("GET", "/api/v1/channels/whatsapp", { key: num.ws.key });
    for (const s of [num.accessToken, num.appSecret, num.verifyToken]) expect(list.text).not.toContain(s);
    const bad = await call<ErrorBody>("POST", "/api/v1/channels/whatsapp", {
      key: num.ws.key,
      body: {
        phoneNumberId: "12345678",
        accessToken: "REVOKEDxxxxxxxxxxxxxxxxxxxx",
        appSecret: "0123456789abcdef",
        verifyToken: "verify-me",
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields!.accessToken).toMatch(/Meta rejected this access token/);
    const missing = await call<ErrorBody>("POST", "/api/v1/channels/whatsapp", {
      key: num.ws.key,
      body: { phoneNumberId: "abc" },
    });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.json.error.fields!).sort()).toEqual([
      "accessToken",
      "appSecret",
      "phoneNumberId",
      "verifyToken",
    ]);
    expect((await call("GET", "/api/v1/channels/whatsapp")).status).toBe(401);
  });
});
