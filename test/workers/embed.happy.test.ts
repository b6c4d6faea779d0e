import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";
import { CHANNELS } from "../../workers/index";
import {
  call,
  countRows,
  type ErrorBody,
  libsqlUrl,
  seedWorkspace,
  submit,
  testDb,
  uniqueEmail,
} from "../support/workers/harness";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("embed snippet endpoints", () => {
  it("serves /embed.js as cacheable JavaScript", async () => {
    const res = await call("GET", "/embed.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("cache-control")).toContain("max-age=");
    expect(res.text).toContain("attachShadow");
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-z]+"$/);
    const again = await call("GET", "/embed.js", { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
  });

  it("describes a form publicly: fields and messages, nothing internal; CORS per allowed origin", async () => {
    const ws = await seedWorkspace({ form: { allowedOrigins: ["https://acme.test"], successMessage: "Merci !" } });
    const res = await call("GET", `/f/${ws.form.publicKey}/schema`, { headers: { origin: "https://acme.test" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://acme.test");
    expect(res.json).toEqual({
      fields: expect.arrayContaining([expect.objectContaining({ name: "email", label: "Email", type: "email" })]),
      honeypotField: "company_website",
      successMessage: "Merci !",
      redirectUrl: null,
      turnstileSiteKey: null,
      consentText: null,
    });
    expect(res.text).not.toContain(ws.id);
    const denied = await call("GET", `/f/${ws.form.publicKey}/schema`, { headers: { origin: "https://evil.test" } });
    expect(denied.status).toBe(403);
    expect((await call("GET", "/f/f_doesnotexist000/schema")).status).toBe(404);
  });

  it("time trap: a submission timed under 2 s gets the normal answer and stores nothing", async () => {
    const ws = await seedWorkspace();
    const fast = await submit(ws.form.publicKey, { name: "Bot", email: uniqueEmail(), _elapsed_ms: 150 });
    expect(fast.status).toBe(200);
    expect(fast.json.ok).toBe(true);
    expect(await countRows(testDb(), "lead", ws.id)).toBe(0);
    expect((await submit(ws.form.publicKey, { name: "Human", email: uniqueEmail(), _elapsed_ms: 8000 })).status).toBe(
      200,
    );
    expect(await countRows(testDb(), "lead", ws.id)).toBe(1);
  });

  it("a retried entry (same _sid) is recorded once", async () => {
    const ws = await seedWorkspace();
    const body = { name: "Twice", email: uniqueEmail(), _elapsed_ms: 5000, _sid: "lr1abcdefgh" };
    expect((await submit(ws.form.publicKey, body)).status).toBe(200);
    const events = await countRows(testDb(), "lead_event", ws.id);
    expect((await submit(ws.form.publicKey, body)).status).toBe(200);
    expect(await countRows(testDb(), "lead", ws.id)).toBe(1);
    expect(await countRows(testDb(), "lead_event", ws.id)).toBe(events);
  });
});

describe("what a visitor sees and agrees to", () => {
  it("a name-only entry names the contact fields it needs and stores nothing", async () => {
    const ws = await seedWorkspace();
    const res = await submit<ErrorBody>(ws.form.publicKey, { name: "Only A Name", _elapsed_ms: 5000 });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toMatchObject({
      email: "Enter an email or a phone number so we can reply.",
      phone: "Enter an email or a phone number so we can reply.",
    });
    const badPhone = await submit<ErrorBody>(ws.form.publicKey, { name: "A", phone: "12", _elapsed_ms: 5000 });
    expect(badPhone.json.error.fields!.phone).not.toMatch(/default country|read with/);
    expect(await countRows(testDb(), "lead", ws.id)).toBe(0);
  });

  it("records the consent checkbox's text and answer in the consent ledger, once per entry", async () => {
    const consentText = "Send me offers by email.";
    const ws = await seedWorkspace({ form: { consentText } });
    expect(
      (
        await call<{ consentText: string | null; turnstileSiteKey: string | null }>(
          "GET",
          `/f/${ws.form.publicKey}/schema`,
        )
      ).json.consentText,
    ).toBe(consentText);
    const yes = { name: "Yes", email: uniqueEmail(), _consent: "yes", _elapsed_ms: 5000, _sid: "lrconsent01" };
    expect((await submit(ws.form.publicKey, yes)).status).toBe(200);
    expect((await submit(ws.form.publicKey, yes)).status).toBe(200);
    expect(
      (await submit(ws.form.publicKey, { name: "No", email: uniqueEmail(), _consent: "no", _elapsed_ms: 5000 })).status,
    ).toBe(200);
    const rows = await testDb().execute({
      sql: `SELECT l.name, c.action, c.source, c.text FROM consent_event c JOIN lead l ON l.id = c.lead_id
            WHERE c.workspace_id = ? ORDER BY l.name`,
      args: [ws.id],
    });
    expect(rows.rows.map((r) => ({ ...r }))).toEqual([
      { name: "No", action: "consent_declined", source: "form", text: consentText },
      { name: "Yes", action: "consent_given", source: "form", text: consentText },
    ]);
  });
});

describe("Turnstile", () => {
  function appWithTurnstile() {
    const parsed = parseConfig({
      LIBSQL_URL: libsqlUrl,
      TURNSTILE_SECRET: "ts-secret",
      TURNSTILE_VERIFY_URL: "https://turnstile.test/siteverify",
    });
    if (!parsed.ok) throw new Error(parsed.issues.join());
    return createApp(parsed.config, CHANNELS);
  }

  /** Fakes only siteverify; the database keeps using the real fetch. */
  function fakeSiteverify() {
    const realFetch = globalThis.fetch;
    const seen: URLSearchParams[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.startsWith("https://turnstile.test/")) return realFetch(input, init);
      const form = new URLSearchParams(String(init?.body));
      seen.push(form);
      return Response.json({ success: form.get("response") === "good-token" });
    });
    return seen;
  }

  it("a form with a site key needs a valid token when the deployment has a secret", async () => {
    const ws = await seedWorkspace({ form: { turnstileSiteKey: "0x4AAAAAAAtest" } });
    const seen = fakeSiteverify();
    const app = appWithTurnstile();
    const post = (body: unknown) =>
      // The test env carries the rotation Durable Object binding that capture routes through.
      app.request(
        `/f/${ws.form.publicKey}`,
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
        env,
      );

    const missing = await post({ name: "A", email: uniqueEmail() });
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as any).error.fields).toHaveProperty("turnstile");
    expect((await post({ name: "A", email: uniqueEmail(), "cf-turnstile-response": "bad-token" })).status).toBe(403);
    expect(await countRows(testDb(), "lead", ws.id)).toBe(0);

    expect((await post({ name: "A", email: uniqueEmail(), "cf-turnstile-response": "good-token" })).status).toBe(200);
    expect(await countRows(testDb(), "lead", ws.id)).toBe(1);
    expect(seen.map((s) => s.get("secret"))).toEqual(["ts-secret", "ts-secret"]);
  });

  it("is off when no secret is configured", async () => {
    const ws = await seedWorkspace({ form: { turnstileSiteKey: "0x4AAAAAAAtest" } });
    expect(
      (
        await call<{ consentText: string | null; turnstileSiteKey: string | null }>(
          "GET",
          `/f/${ws.form.publicKey}/schema`,
        )
      ).json.turnstileSiteKey,
    ).toBe("0x4AAAAAAAtest");
    expect((await submit(ws.form.publicKey, { name: "A", email: uniqueEmail() })).status).toBe(200);
    expect(await countRows(testDb(), "lead", ws.id)).toBe(1);
  });
});
