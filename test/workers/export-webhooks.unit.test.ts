import { describe, expect, it } from "vitest";
import { leadAssignedPayload, leadCreatedPayload, leadStatusChangedPayload, webhookRequests } from "../../workers/domain/webhook-payloads";
import type { Lead } from "../../workers/domain/lead-row";
import type { WebhookEndpoint } from "../../workers/domain/webhooks";
import { csvCell, toCsv } from "../../workers/lib/csv";
import { signWebhook, verifyWebhookSignature } from "../../workers/lib/webhook-signature";

describe("CSV", () => {
  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(7)).toBe("7");
    expect(csvCell({ budget: "1k" })).toBe('"{""budget"":""1k""}"');
    expect(toCsv(["a", "b"], [["1", "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
  });

  it("defuses cells a spreadsheet would run as a formula, but leaves plain numbers alone", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1+cmd|' /C calc'!A0")).toBe("'+1+cmd|' /C calc'!A0");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("+14155550101")).toBe("+14155550101");
    expect(csvCell("-5")).toBe("-5");
  });
});

describe("webhook signatures", () => {
  it("is HMAC-SHA256 over `<t>.<body>` in Stripe-like `t=…,v1=…` form (known vector)", async () => {
    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    const sig = await signWebhook("whsec_test", '{"a":1}', 1_700_000_000);
    expect(sig).toBe("t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
  });

  it("verifies its own signatures and rejects tampering, other secrets and stale timestamps", async () => {
    const body = JSON.stringify({ id: "evt_1", type: "lead.created" });
    const header = await signWebhook("whsec_a", body, 1_700_000_000);
    expect(await verifyWebhookSignature("whsec_a", body, header, 1_700_000_100)).toBe(true);
    expect(await verifyWebhookSignature("whsec_a", `${body} `, header, 1_700_000_100)).toBe(false);
    expect(await verifyWebhookSignature("whsec_b", body, header, 1_700_000_100)).toBe(false);
    expect(await verifyWebhookSignature("whsec_a", body, header, 1_700_001_000)).toBe(false);
    expect(await verifyWebhookSignature("whsec_a", body, "garbage", 1_700_000_000)).toBe(false);
  });
});

const lead = {
  id: "lead_1", workspaceId: "ws_1", status: "contacted", ownerRepId: "rep_2", notes: "internal", createdAt: 1_700_000_000_000, email: "a@b.co",
} as unknown as Lead;
const endpoint = (over: Partial<WebhookEndpoint>): WebhookEndpoint => ({
  id: "whk_1", workspaceId: "ws_1", url: "https://hooks.example/lr", secret: "whsec_x", events: ["lead.created", "lead.status_changed"], active: true, createdAt: 0, updatedAt: 0, ...over,
});

describe("webhook payloads", () => {
  it("builds the three event payloads without internal notes", () => {
    const created = leadCreatedPayload("evt_1", lead);
    expect(created).toMatchObject({ id: "evt_1", type: "lead.created", workspaceId: "ws_1", createdAt: "2023-11-14T22:13:20.000Z" });
    expect(created.data.lead).not.toHaveProperty("notes");
    expect(leadAssignedPayload("evt_2", lead, 1_700_000_000_000, "rep_1").data).toMatchObject({ repId: "rep_2", previousRepId: "rep_1" });
    expect(leadStatusChangedPayload("evt_3", lead, 1_700_000_000_000, "new").data).toMatchObject({ from: "new", to: "contacted" });
  });

  it("fans an event out to the workspace's active endpoints subscribed to it, signed per endpoint", async () => {
    const endpoints = [
      endpoint({}),
      endpoint({ id: "whk_2", events: ["lead.assigned"] }),
      endpoint({ id: "whk_3", active: false }),
      endpoint({ id: "whk_4", workspaceId: "ws_other" }),
      endpoint({ id: "whk_5", secret: "whsec_y" }),
    ];
    const payload = leadCreatedPayload("evt_1", lead);
    const requests = await webhookRequests(endpoints, payload, 1_700_000_000_000);
    expect(requests.map((r) => r.endpointId)).toEqual(["whk_1", "whk_5"]);
    expect(requests[0]!.idempotencyKey).toBe("webhook:whk_1:evt_1");
    expect(requests[0]!.headers).toMatchObject({ "leadrelay-event": "lead.created", "leadrelay-delivery": "evt_1" });
    for (const r of requests) {
      const secret = endpoints.find((e) => e.id === r.endpointId)!.secret;
      expect(await verifyWebhookSignature(secret, r.body, r.headers["leadrelay-signature"]!, 1_700_000_000)).toBe(true);
    }
    expect(requests[0]!.headers["leadrelay-signature"]).not.toBe(requests[1]!.headers["leadrelay-signature"]);
  });
});
