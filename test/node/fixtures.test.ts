import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dir = new URL("../fixtures/", import.meta.url);
const read = (path: string) => JSON.parse(readFileSync(new URL(path, dir), "utf8")) as Record<string, any>;
const hmac = (secret: string, body: string) =>
  createHmac("sha256", secret).update(Buffer.from(body, "utf8")).digest("hex");

describe("test/fixtures", () => {
  it("the X-Hub-Signature-256 vector is what Node's HMAC computes over the escaped bytes, not the UTF-8 text", () => {
    const v = read("whatsapp/signature_vector.json");
    // Meta escapes non-ASCII as lowercase \uXXXX in the body it signs and sends.
    const escaped = v.raw_body_utf8.replace(
      /[^\0-~]/g,
      (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    expect(escaped).toBe(v.raw_body_escaped);
    expect(v.x_hub_signature_256).toBe(`sha256=${hmac(v.app_secret, v.raw_body_escaped)}`);
    expect(v.hmac_sha256_hex_of_utf8_body).toBe(hmac(v.app_secret, v.raw_body_utf8));
    expect(v.hmac_sha256_hex_of_utf8_body).not.toBe(v.x_hub_signature_256.slice("sha256=".length));
  });

  it("every WhatsApp webhook fixture has the envelope Meta documents; every Telegram update has an update_id", () => {
    for (const name of readdirSync(new URL("whatsapp/", dir))) {
      const f = read(`whatsapp/${name}`);
      if (!("entry" in f)) continue;
      expect(f.object, name).toBe("whatsapp_business_account");
      for (const entry of f.entry) for (const change of entry.changes) expect(typeof change.field, name).toBe("string");
    }
    for (const name of readdirSync(new URL("telegram/", dir))) {
      const f = read(`telegram/${name}`);
      if ("ok" in f) expect(typeof f.ok, name).toBe("boolean");
      else expect(Number.isInteger(f.update_id), name).toBe(true);
    }
  });
});
