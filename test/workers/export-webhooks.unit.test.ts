import { describe, expect, it } from "vitest";
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
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
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

  it("during a rotation carries one v1= per secret, newest first; either secret verifies, no other does", async () => {
    const body = '{"a":1}';
    const header = await signWebhook(["whsec_new", "whsec_test"], body, 1_700_000_000);
    expect(header).toBe(
      `${(await signWebhook("whsec_new", body, 1_700_000_000)).split(",").slice(0, 2).join(",")},` +
        "v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789",
    );
    expect(await verifyWebhookSignature("whsec_new", body, header, 1_700_000_010)).toBe(true);
    expect(await verifyWebhookSignature("whsec_test", body, header, 1_700_000_010)).toBe(true);
    expect(await verifyWebhookSignature("whsec_other", body, header, 1_700_000_010)).toBe(false);
    // A second timestamp cannot smuggle in a fresh one: the first t= is the signed one.
    expect(await verifyWebhookSignature("whsec_new", body, `${header},t=1700000999`, 1_700_000_010)).toBe(true);
  });
});
