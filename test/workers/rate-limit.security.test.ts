import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";
import { CHANNELS } from "../../workers/index";
import { callRaw, type ErrorBody, isErrorShape, seedWorkspace } from "../support/workers/harness";

// The limits of wrangler.toml ([[ratelimits]]); keep these in step with it.
const IP_LIMIT = 120;
const FORM_LIMIT = 600;

function submit(formKey: string, body: unknown, headers: Record<string, string> = {}) {
  return callRaw<ErrorBody>("POST", `/f/${formKey}`, JSON.stringify(body), {
    "content-type": "application/json",
    ...headers,
  });
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
  it(`per client IP: over ${IP_LIMIT} posts in a window → 429, Retry-After, error shape; others pass`, async () => {
    const ws = await seedWorkspace();
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const { accepted, res } = await postUntilLimited(ws.form.publicKey, IP_LIMIT, {
      "cf-connecting-ip": ip,
      origin: "https://acme.test",
    });
    expect(accepted).toBeGreaterThanOrEqual(IP_LIMIT);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(isErrorShape(res.json)).toBe(true);
    expect(res.json.error.code).toBe("RATE_LIMITED");
    expect(res.json.error.message).toMatch(/address/);
    // Readable by the embed snippet on any site.
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(
      (await submit(ws.form.publicKey, { company_website: "bot" }, { "cf-connecting-ip": "198.51.100.7" })).status,
    ).toBe(200);
  });

  it(`per form: over ${FORM_LIMIT} posts in a window → 429 with the form's CORS headers; others pass`, async () => {
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

/** The app with CLIENT_IP_HEADER as given (undefined = not behind a proxy that sets one), real bindings. */
function appTrusting(header: string | undefined) {
  const parsed = parseConfig({ ...(env as unknown as Record<string, unknown>), CLIENT_IP_HEADER: header });
  if (!parsed.ok) throw new Error(parsed.issues.join());
  const app = createApp(parsed.config, CHANNELS);
  return (formKey: string, headers: Record<string, string>) =>
    app.request(
      `/f/${formKey}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ company_website: "bot" }),
      },
      env,
    );
}

describe("which client address the per-IP limit counts", () => {
  it("no trusted header configured: a client-sent CF-Connecting-IP is not taken as the address", async () => {
    const ws = await seedWorkspace();
    const post = appTrusting(undefined);
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    // Past the point where the same address would be limited if the header were believed.
    for (let i = 0; i <= 2 * IP_LIMIT + 1; i++) {
      const res = await post(ws.form.publicKey, { "cf-connecting-ip": ip });
      expect(res.status, `post ${i}`).toBe(200);
    }
  });

  it("behind a proxy appending to X-Forwarded-For: only its entry counts, a client's prefix does not", async () => {
    const ws = await seedWorkspace();
    const post = appTrusting("X-Forwarded-For");
    const real = `198.51.100.${Math.floor(Math.random() * 250)}`;
    let limited: Response | undefined;
    let accepted = 0;
    for (let i = 0; i <= 2 * IP_LIMIT + 1 && !limited; i++) {
      // A fresh made-up address each time, as an attacker would send; the proxy adds the real one last.
      const res = await post(ws.form.publicKey, {
        "x-forwarded-for": `10.9.${i % 250}.${i % 7}, ${real}`,
        "cf-connecting-ip": `192.0.2.${i % 250}`,
      });
      if (res.status === 429) limited = res;
      else accepted++;
    }
    expect(limited, "never limited").toBeDefined();
    expect(accepted).toBeGreaterThanOrEqual(IP_LIMIT);
    expect(((await limited!.json()) as { error: { message: string } }).error.message).toMatch(/address/);
  });

  it("the configured header name is validated at start-up", () => {
    expect(parseConfig({ LIBSQL_URL: "http://127.0.0.1:1", CLIENT_IP_HEADER: "x forwarded: for" }).ok).toBe(false);
  });
});

// HOOK_RATE_LIMITER: 3,000 a minute in wrangler.toml, lowered to 300 for this project (its vitest.config.ts) so that
// the deliveries below fit in two windows however busy the machine is.
const HOOK_LIMIT = 300;

describe("rate limit on the platform webhooks", () => {
  it(`per channel: over ${HOOK_LIMIT} deliveries → 429, Retry-After, before any lookup; others pass`, async () => {
    // Unknown channel ids: below the limit each delivery is looked up (404), above it the limiter answers first.
    const flooded = `chn_flood${crypto.randomUUID().replaceAll("-", "")}`;
    const post = (channelId: string) =>
      callRaw<ErrorBody>("POST", `/hooks/telegram/${channelId}`, JSON.stringify({ update_id: 1 }), {
        "content-type": "application/json",
      });
    let accepted = 0;
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    // Fixed windows: a boundary in the middle restarts the count, so the first 429 comes before 2 × limit + 1.
    for (let i = 0; i <= 2 * HOOK_LIMIT + 1 && !limited; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => post(flooded)));
      for (const res of batch) {
        if (res.status === 429) limited ??= res;
        else {
          expect(res.status).toBe(404);
          accepted++;
        }
      }
    }
    expect(limited, "never limited").toBeDefined();
    expect(accepted).toBeGreaterThanOrEqual(HOOK_LIMIT);
    expect(limited!.headers.get("retry-after")).toBe("60");
    expect(limited!.json.error).toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/channel/) });
    expect((await post(`chn_other${crypto.randomUUID().replaceAll("-", "")}`)).status).toBe(404);
  });
});
