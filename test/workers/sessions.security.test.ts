import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";
import { CHANNELS } from "../../workers/index";
import type { ApiKeyJson, ListJson, PersonJson } from "../support/response-json";
import { call, dashboardSession, libsqlUrl, seedWorkspace, testDb } from "../support/workers/harness";
import { BASE, cookieOf, formPost, invitedPerson, PASSWORD, page, signIn } from "../support/workers/team-harness";

function configOf(vars: Record<string, unknown>) {
  const parsed = parseConfig(vars);
  if (!parsed.ok) throw new Error(parsed.issues.join());
  return parsed.config;
}

async function hmacHex(secret: string, data: string) {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(data)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

describe("console sessions", () => {
  it("sign-out ends the session for every copy of the cookie", async () => {
    const ws = await seedWorkspace();
    const rep = await invitedPerson(ws.key, { role: "rep", repId: ws.reps[0]!.id });
    const copy = rep.cookie;
    expect((await page("/app/leads", copy)).status).toBe(200);
    const out = await formPost("/app/logout", {}, rep.cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/lr_session=;.*Max-Age=0/i);
    expect((await page("/app/leads", copy)).status).toBe(401);
    expect((await formPost("/app/account/sign-out-everywhere", {}, copy)).status).toBe(401);
  });

  it("sign out everywhere, and a password change, end the other sessions", async () => {
    const ws = await seedWorkspace();
    const admin = await invitedPerson(ws.key, { role: "admin" });
    const laptop = cookieOf(await signIn(admin.email));
    const phone = cookieOf(await signIn(admin.email));

    const wrongCurrent = await formPost(
      "/app/account/password",
      { current: "not it at all", password: "a brand new passphrase" },
      phone,
    );
    expect(wrongCurrent.status).toBe(422);
    const changed = await formPost(
      "/app/account/password",
      { current: PASSWORD, password: "a brand new passphrase" },
      phone,
    );
    expect(changed.status).toBe(200);
    expect((await page("/app/people", phone)).status).toBe(200);
    for (const other of [admin.cookie, laptop]) expect((await page("/app/people", other)).status).toBe(401);
    expect((await signIn(admin.email)).status).toBe(401);

    const tablet = cookieOf(await signIn(admin.email, "a brand new passphrase"));
    expect((await formPost("/app/account/sign-out-everywhere", {}, phone)).status).toBe(303);
    for (const c of [phone, tablet]) expect((await page("/app/people", c)).status).toBe(401);
  });

  it("ends after 12 idle hours; cookies HttpOnly, SameSite=Lax, Secure on https, Path=/app", async () => {
    const ws = await seedWorkspace();
    const res = await formPost("/app/login", { apiKey: ws.key });
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/Path=\/app/);
    const cookie = cookieOf(res);
    const config = configOf(env as unknown as Record<string, unknown>);
    const at = (ms: number) =>
      createApp(config, CHANNELS, () => Date.now() + ms).request("/app/leads", { headers: { cookie } });
    expect((await at(11 * 3_600_000)).status).toBe(200);
    // That request was a sign of life: the clock restarts from it.
    expect((await at(11 * 3_600_000 + 11 * 3_600_000)).status).toBe(200);
    expect((await at(22 * 3_600_000 + 12 * 3_600_000 + 1)).status).toBe(401);
    expect((await page("/app/leads", cookie)).status).toBe(401);
    const left = await testDb().execute({
      sql: "SELECT count(*) AS n FROM session s JOIN person p ON p.id = s.person_id WHERE p.workspace_id = ?",
      args: [ws.id],
    });
    expect(Number(left.rows[0]!.n)).toBe(0);
  });

  it("a cookie built from public ids → 401 in every mode (with or without secret, local or deployed)", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const person = (await call<ListJson<PersonJson>>("GET", "/api/v1/people", { key: ws.key })).json.data[0]!;
    const key = (await call<ListJson<ApiKeyJson>>("GET", "/api/v1/api-keys", { key: ws.key })).json.data[0]!;
    // The secret this codebase once built in for local use: it must sign nothing, anywhere.
    const oldDevSecret = "leadrelay-local-development-session-secret-not-for-production";
    const far = Date.now() + 10 ** 9;
    const forged: string[] = [];
    for (const id of [ws.id, person.id, key.id, key.prefix, ws.form.publicKey]) {
      const token = id
        .replace(/[^A-Za-z0-9]/g, "")
        .padEnd(43, "0")
        .slice(0, 43);
      forged.push(
        id,
        `${id}.${far}.${await hmacHex(`session:${oldDevSecret}`, `${id}.${far}`)}`,
        `${token}.${await hmacHex(`session:${oldDevSecret}`, token)}`,
        `${token}.${await hmacHex("session:", token)}`,
      );
    }
    const modes = {
      "this Worker": (c: string) => call("GET", "/app", { headers: { cookie: c } }),
      "local database, no SESSION_SECRET": (c: string) =>
        createApp(configOf({ LIBSQL_URL: libsqlUrl }), CHANNELS).request("/app", { headers: { cookie: c } }),
      "deployed database, no SESSION_SECRET": (c: string) =>
        createApp(configOf({ LIBSQL_URL: "libsql://db-org.turso.io" }), CHANNELS).request("/app", {
          headers: { cookie: c },
        }),
      "deployed database, SESSION_SECRET set": (c: string) =>
        createApp(
          configOf({ LIBSQL_URL: "libsql://db-org.turso.io", SESSION_SECRET: "x".repeat(40) }),
          CHANNELS,
        ).request("/app", { headers: { cookie: c } }),
    };
    for (const [mode, get] of Object.entries(modes)) {
      for (const value of forged) expect((await get(`lr_session=${value}`)).status, `${mode}: ${value}`).toBe(401);
    }
    // The real cookie still works where it was issued, and nowhere else.
    expect((await page("/app", cookie)).status).toBe(200);
    expect((await modes["local database, no SESSION_SECRET"](cookie)).status).toBe(401);
  });
});

describe("sign-in throttling", () => {
  it("6 wrong passwords → 429 with Retry-After, even for the right one, until the window passes", async () => {
    const ws = await seedWorkspace();
    const admin = await invitedPerson(ws.key, { role: "admin" });
    for (let i = 1; i <= 5; i++)
      expect((await signIn(admin.email, `wrong password ${i}`)).status, `try ${i}`).toBe(401);
    const sixth = await signIn(admin.email, "wrong password 6");
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(sixth.headers.get("retry-after"))).toBeLessThanOrEqual(300);
    expect((await signIn(admin.email)).status).toBe(429);
    // Unknown accounts are counted the same way: the answer never tells which addresses exist.
    for (let i = 1; i <= 5; i++) expect((await signIn(`nobody-${i}-${admin.email}`, "x")).status).toBe(401);

    const later = configOf(env as unknown as Record<string, unknown>);
    const res = await createApp(later, CHANNELS, () => Date.now() + 5 * 60_000 + 1).request("/app/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
      body: new URLSearchParams({ email: admin.email, password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(303);
  });

  it("failed sign-ins per address → 429 across accounts; another address is not affected", async () => {
    const ws = await seedWorkspace();
    const admin = await invitedPerson(ws.key, { role: "admin" });
    const ip = { "cf-connecting-ip": `203.0.113.${Math.floor(Math.random() * 250)}` };
    let status = 0;
    let tries = 0;
    while (tries < 25 && status !== 429) {
      tries++;
      status = (await signIn(`guess-${tries}@example.com`, "nope", ip)).status;
    }
    expect(status).toBe(429);
    expect(tries).toBe(21);
    expect((await signIn(admin.email, PASSWORD, ip)).status).toBe(429);
    expect((await signIn(admin.email, PASSWORD, { "cf-connecting-ip": "198.51.100.99" })).status).toBe(303);
    // Keys typed on the sign-in page count separately (per address too), so this one is refused as unknown.
    expect((await formPost("/app/login", { apiKey: `lr_${"z".repeat(40)}` }, undefined, ip)).status).toBe(401);
  });
});

describe("CSRF", () => {
  it("refuses cross-site posts to every new console form", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    for (const path of [
      "/app/people/invite",
      "/app/keys",
      "/app/account/password",
      "/app/account/sign-out-everywhere",
      "/app/login/code",
    ]) {
      const res = await call("POST", path, {
        rawBody: "name=x&scope=write&email=a%40b.test&role=admin",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.test", cookie },
      });
      expect(res.status, path).toBe(403);
    }
    expect((await page("/app", cookie)).status).toBe(200);
    expect(BASE).toBe("https://leadrelay.test");
  });
});
