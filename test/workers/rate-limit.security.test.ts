import { describe, expect, it } from "vitest";
import { callRaw, isErrorShape, seedWorkspace } from "./harness";

// The limits of wrangler.toml ([[ratelimits]]); keep these in step with it.
const IP_LIMIT = 120;
const FORM_LIMIT = 600;

function submit(formKey: string, body: unknown, headers: Record<string, string> = {}) {
  return callRaw("POST", `/f/${formKey}`, JSON.stringify(body), { "content-type": "application/json", ...headers });
}

/**
 * Posts honeypot submissions (accepted, nothing stored) until the first 429. The binding counts in fixed
 * windows, so a window boundary in the middle restarts the count: the first 429 comes after at least
 * `limit` accepted posts and, whatever the timing, before 2 × limit + 1.
 */
async function postUntilLimited(formKey: string, limit: number, headers: Record<string, string>) {
  for (let i = 0; i <= 2 * limit + 1; i++) {
    const res = await submit(formKey, { company_website: "bot" }, headers);
    if (res.status === 429) return { accepted: i, res };
    expect(res.status).toBe(200);
  }
  throw new Error("never limited");
}

describe("rate limits on the public form route", () => {
  it(`per client IP: after ${IP_LIMIT} posts in a window → 429, Retry-After, one error shape; other IPs unaffected`, async () => {
    const ws = await seedWorkspace();
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const { accepted, res } = await postUntilLimited(ws.form.publicKey, IP_LIMIT, { "cf-connecting-ip": ip, origin: "https://acme.test" });
    expect(accepted).toBeGreaterThanOrEqual(IP_LIMIT);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(isErrorShape(res.json)).toBe(true);
    expect(res.json.error.code).toBe("RATE_LIMITED");
    expect(res.json.error.message).toMatch(/address/);
    // Readable by the embed snippet on any site.
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect((await submit(ws.form.publicKey, { company_website: "bot" }, { "cf-connecting-ip": "198.51.100.7" })).status).toBe(200);
  });

  it(`per form: after ${FORM_LIMIT} posts in a window → 429 with the form's CORS headers; other forms unaffected`, async () => {
    const ws = await seedWorkspace({ form: { allowedOrigins: ["https://acme.test"] } });
    const other = await seedWorkspace();
    // No CF-Connecting-IP (as in-process tests send): only the per-form limit applies.
    const { accepted, res } = await postUntilLimited(ws.form.publicKey, FORM_LIMIT, { origin: "https://acme.test" });
    expect(accepted).toBeGreaterThanOrEqual(FORM_LIMIT);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(res.json.error).toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/form/) });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://acme.test");
    expect((await submit(other.form.publicKey, { company_website: "bot" })).status).toBe(200);
  });
});
