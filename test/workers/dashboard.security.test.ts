import { describe, expect, it } from "vitest";
import { parseConfig } from "../../workers/config";
import type { ScoringRules } from "../../workers/domain/capture/scoring";
import { AppError } from "../../workers/errors";
import { createApp } from "../../workers/http/create-app";
import { sessionSecret } from "../../workers/http/session";
import { CHANNELS } from "../../workers/index";
import type { LeadJson, ListJson, PoolJson, RuleJson, SequenceJson } from "../support/response-json";
import { call, dashboardSession, seedWorkspace, submit, testDb, uniqueEmail } from "../support/workers/harness";

const BASE = "https://leadrelay.test";

function page(path: string, cookie?: string) {
  return call("GET", path, { headers: cookie ? { cookie } : {} });
}

describe("dashboard sessions", () => {
  it("sends visitors without a session to the sign-in page", async () => {
    for (const path of ["/app", "/app/leads", "/app/forms", "/app/leads/export.csv"]) {
      const res = await page(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location")).toBe("/app/login");
    }
    expect((await page("/app/login")).text).toContain("Workspace API key");
  });

  it("signs in with an API key into an HttpOnly, SameSite=Lax, Secure session cookie scoped to /app", async () => {
    const ws = await seedWorkspace();
    const { cookie, setCookie } = await dashboardSession(ws.key);
    expect(setCookie).toMatch(/^lr_session=[^;]+/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/Path=\/app/);
    expect(setCookie).not.toContain(ws.key);
    const home = await page("/app", cookie);
    expect(home.status).toBe(200);
    expect(home.headers.get("cache-control")).toBe("no-store");
    expect(home.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(home.headers.get("x-frame-options")).toBe("DENY");
    const forms = await page("/app/forms", cookie);
    expect(forms.text).not.toMatch(/<script>/);
    expect((await page("/app/assets/dashboard.js", cookie)).headers.get("content-type")).toMatch(/^text\/javascript/);
    // No leads yet: a sentence in place of the chart, not an empty 0–1 axis.
    expect(home.text).toContain('data-chart-empty="leads-per-day"');

    const out = await call("POST", "/app/logout", { headers: { cookie, origin: BASE } });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/lr_session=;.*Max-Age=0/i);
  });

  it("refuses a wrong key, a forged or altered cookie; revoking the key leaves the owner's session", async () => {
    const ws = await seedWorkspace();
    const wrong = await call("POST", "/app/login", {
      rawBody: `apiKey=lr_${"z".repeat(40)}`,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("unknown or revoked");

    const { cookie } = await dashboardSession(ws.key);
    const [name, value] = cookie.split("=");
    const [token, sig] = value!.split(".");
    const flipped = `${name}=${token}.${sig!.slice(0, -1)}${sig!.endsWith("0") ? "1" : "0"}`;
    const otherToken = `${name}=${token!.slice(0, -1)}${token!.endsWith("a") ? "b" : "a"}.${sig}`;
    for (const forged of [flipped, otherToken, `${name}=${"0".repeat(43)}.${"0".repeat(64)}`, `${name}=${ws.id}`]) {
      const res = await page("/app", forged);
      expect(res.status).toBe(401);
      expect(res.headers.get("set-cookie")).toMatch(/lr_session=;.*Max-Age=0/i);
    }
    // The session belongs to the owner person now, not to the key that opened it.
    await testDb().execute({
      sql: "UPDATE api_key SET revoked_at = ? WHERE workspace_id = ?",
      args: [Date.now(), ws.id],
    });
    expect((await page("/app", cookie)).status).toBe(200);
    expect(
      (
        await call("POST", "/app/login", {
          rawBody: `apiKey=${ws.key}`,
          headers: { "content-type": "application/x-www-form-urlencoded", origin: BASE },
        })
      ).status,
    ).toBe(401);
  });

  it("refuses cross-site form posts (CSRF)", async () => {
    const ws = await seedWorkspace();
    const res = await call("POST", "/app/login", {
      rawBody: `apiKey=${ws.key}`,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.test" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("needs SESSION_SECRET in every setup, local or not, with a BAD_ENVIRONMENT error naming it", async () => {
    const local = parseConfig({ LIBSQL_URL: "http://127.0.0.1:8080" });
    if (!local.ok) throw new Error(local.issues.join());
    expect(() => sessionSecret(local.config)).toThrow(AppError);
    const remote = parseConfig({ LIBSQL_URL: "libsql://db-org.turso.io" });
    if (!remote.ok) throw new Error(remote.issues.join());
    expect(() => sessionSecret(remote.config)).toThrow(AppError);
    // A cookie opens nothing without the secret (401); signing in says what is missing.
    expect(
      (await createApp(remote.config, CHANNELS).request("/app", { headers: { cookie: "lr_session=x" } })).status,
    ).toBe(401);
    const res = await createApp(remote.config, CHANNELS).request("/app/invite/x", {
      method: "POST",
      headers: { origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
      body: "password=long-enough-password",
    });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "BAD_ENVIRONMENT",
      message: expect.stringContaining("SESSION_SECRET"),
    });
    const withSecret = parseConfig({ LIBSQL_URL: "libsql://db-org.turso.io", SESSION_SECRET: "s".repeat(32) });
    if (!withSecret.ok) throw new Error(withSecret.issues.join());
    expect(sessionSecret(withSecret.config)).toBe("s".repeat(32));
  });
});

describe("dashboard pages", () => {
  it("show only the session's workspace, escape what prospects typed, and render every page", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    await submit(a.form.publicKey, {
      name: "<img src=x onerror=alert(1)>",
      email: uniqueEmail(),
      page_url: "https://acme.test/?utm_source=ads",
    });
    await submit(b.form.publicKey, { name: "B secret lead", email: uniqueEmail() });
    const aLead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: a.key })).json.data[0]!;
    const bLead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: b.key })).json.data[0]!;
    const { cookie } = await dashboardSession(a.key);

    const leads = await page("/app/leads", cookie);
    expect(leads.status).toBe(200);
    expect(leads.text).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(leads.text).not.toContain("<img src=x");
    expect(leads.text).not.toContain("B secret lead");
    expect(leads.text).toContain(">ads<");

    expect((await page(`/app/leads/${aLead.id}`, cookie)).text).toContain("Timeline");
    const foreign = await page(`/app/leads/${bLead.id}`, cookie);
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get("content-type")).toMatch(/text\/html/);
    expect(foreign.text).toContain("Lead not found.");
    expect(foreign.text).not.toContain("B secret lead");
    expect((await page(`/app/leads?q=${encodeURIComponent(bLead.email!)}`, cookie)).text).toContain("No leads match.");

    const csv = await page("/app/leads/export.csv?source=form", cookie);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.text).toContain(aLead.id);
    expect(csv.text).not.toContain(bLead.id);

    const forms = await page("/app/forms", cookie);
    expect(forms.text).toContain(
      `&lt;script src=&quot;${BASE}/embed.js&quot; data-form=&quot;${a.form.publicKey}&quot; async&gt;&lt;/script&gt;`,
    );
    for (const path of [
      "/app/reps",
      "/app/scoring",
      "/app/webhooks",
      "/app/routing",
      "/app/sequences",
      "/app/channels",
      "/app?days=7&sla=5",
    ]) {
      expect((await page(path, cookie)).status, path).toBe(200);
    }
    // Routing and sequences pages list this workspace's own rules, pools and sequences, not B's.
    const aPool = (
      await call<PoolJson>("POST", "/api/v1/pools", { key: a.key, body: { name: "A solar pool", slaMinutes: 20 } })
    ).json;
    await call<RuleJson>("POST", "/api/v1/routing-rules", {
      key: a.key,
      body: { name: "A solar rule", match: { fields: { product: ["solar"] } }, poolId: aPool.id },
    });
    await call<PoolJson>("POST", "/api/v1/pools", { key: b.key, body: { name: "B secret pool" } });
    await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: a.key,
      body: { name: "A nurture", steps: [{ delayMinutes: 60, sender: "email", text: "Hi {name}" }] },
    });
    const routing = (await page("/app/routing", cookie)).text;
    expect(routing).toContain("A solar rule");
    expect(routing).toContain("product = solar");
    expect(routing).toContain("20 min");
    expect(routing).not.toContain("B secret pool");
    expect((await page("/app/sequences", cookie)).text).toContain("after 60 min · email: Hi {name}");
  });

  it("saves scoring rules from the scoring page's form, refusing a bad value next to its field", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const post = (fields: Record<string, string>) =>
      call("POST", "/app/scoring", {
        rawBody: new URLSearchParams(fields).toString(),
        headers: { cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded" },
      });
    const bad = await post({ hotThreshold: "99", field0_name: "budget", field0_points: "5" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('data-error-for="hotThreshold"');
    expect((await call<ScoringRules>("GET", "/api/v1/scoring", { key: ws.key })).json.hotThreshold).toBe(7);
    const good = await post({
      hotThreshold: "4",
      field0_name: "budget",
      field0_equals: "high, urgent",
      field0_points: "3",
    });
    expect(good.status).toBe(200);
    const saved = (await call<ScoringRules>("GET", "/api/v1/scoring", { key: ws.key })).json;

    expect(saved.hotThreshold).toBe(4);
    expect(saved.fields).toEqual([{ field: "budget", equals: ["high", "urgent"], points: 3 }]);
  });
});
