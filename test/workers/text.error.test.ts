import { describe, expect, it } from "vitest";
import type { ListJson, RepJson } from "../support/response-json";
import {
  call,
  callRaw,
  type ErrorBody,
  isErrorShape,
  leadRows,
  seedWorkspace,
  submit,
  uniqueEmail,
} from "../support/workers/harness";

// Found by fuzzing (fuzz.security.test.ts): the libSQL engine turns a lone surrogate into U+FFFD and
// reads text back only up to a NUL, and `request.json()` turns invalid UTF-8 into U+FFFD. Each of these
// stored something other than what was sent, without a word. Now they are refused, naming the field.
describe("text that cannot be stored as sent is refused, not altered", () => {
  it("a NUL in a form field → 400 naming it, nothing stored", async () => {
    const ws = await seedWorkspace();
    const res = await submit<ErrorBody>(ws.form.publicKey, { name: "Ada\u0000Lovelace", email: uniqueEmail() });
    expect(res.status).toBe(400);
    expect(isErrorShape(res.json)).toBe(true);
    expect(res.json.error.fields).toHaveProperty("name");
    expect(await leadRows(ws.id)).toEqual({ leads: 0, inquiries: 0, events: 0 });
  });

  it("a lone surrogate (JSON escape) in a form field or key → 400, nothing stored", async () => {
    const ws = await seedWorkspace();
    const email = uniqueEmail();
    for (const raw of [`{"name":"x\\ud800","email":"${email}"}`, `{"name":"x","email":"${email}","\\udc00":"k"}`]) {
      const res = await callRaw("POST", `/f/${ws.form.publicKey}`, raw, { "content-type": "application/json" });
      expect(res.status, raw).toBe(400);
      expect(isErrorShape(res.json)).toBe(true);
    }
    expect(await leadRows(ws.id)).toEqual({ leads: 0, inquiries: 0, events: 0 });
  });

  it("a NUL through form encoding (%00) → 400", async () => {
    const ws = await seedWorkspace();
    const res = await callRaw<ErrorBody>(
      "POST",
      `/f/${ws.form.publicKey}`,
      `name=A%00B&email=${encodeURIComponent(uniqueEmail())}`,
      {
        "content-type": "application/x-www-form-urlencoded",
      },
    );
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toHaveProperty("name");
  });

  it("owner API: invalid UTF-8 bytes → 400 (not silently replaced), nothing created", async () => {
    const ws = await seedWorkspace();
    const body = new Uint8Array([
      ...new TextEncoder().encode('{"name":"Bad '),
      0xff,
      0xfe,
      ...new TextEncoder().encode('"}'),
    ]);
    const res = await callRaw<ErrorBody>("POST", "/api/v1/reps", body, {
      "content-type": "application/json",
      authorization: `Bearer ${ws.key}`,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toEqual({ body: "Not valid UTF-8." });
    expect((await call<ListJson<RepJson>>("GET", "/api/v1/reps", { key: ws.key })).json.data).toHaveLength(2);
  });

  it("owner API: NUL and lone surrogates → 400 naming the field path", async () => {
    const ws = await seedWorkspace();
    const nul = await call<ErrorBody>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { email: uniqueEmail(), fields: { plan: "a\u0000b" } },
    });
    expect(nul.status).toBe(400);
    expect(nul.json.error.fields).toHaveProperty(["fields.plan"]);
    const lone = await callRaw<ErrorBody>("PATCH", "/api/v1/workspace", '{"name":"\\udfff"}', {
      "content-type": "application/json",
      authorization: `Bearer ${ws.key}`,
    });
    expect(lone.status).toBe(400);
    expect(lone.json.error.fields).toHaveProperty("name");
    expect(await leadRows(ws.id)).toEqual({ leads: 0, inquiries: 0, events: 0 });
  });

  it("owner API: a body over API_MAX_BODY_BYTES → 413; deep nesting → 400", async () => {
    const ws = await seedWorkspace();
    const big = await call<ErrorBody>("POST", "/api/v1/reps", { key: ws.key, body: { name: "x".repeat(1_100_000) } });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe("PAYLOAD_TOO_LARGE");
    const deep = await callRaw("POST", "/api/v1/reps", `${'{"a":'.repeat(100)}1${"}".repeat(100)}`, {
      "content-type": "application/json",
      authorization: `Bearer ${ws.key}`,
    });
    expect(deep.status).toBe(400);
    expect(isErrorShape(deep.json)).toBe(true);
  });

  it("owner API: a content type Hono's validator skips (application/json-patch) → 415, not {}", async () => {
    const ws = await seedWorkspace();
    const res = await callRaw("PATCH", "/api/v1/workspace", '{"name":"Renamed"}', {
      "content-type": "application/json-patch",
      authorization: `Bearer ${ws.key}`,
    });
    expect(res.status).toBe(415);
  });
});

describe("the same rule for URLs: a NUL in a path id or query value", () => {
  it("→ 400 naming the parameter, not a 500 from libSQL refusing the argument", async () => {
    const ws = await seedWorkspace();
    for (const [path, field] of [
      ["/api/v1/leads?q=a%00b", "q"],
      ["/api/v1/leads?owner=%00", "owner"],
      ["/api/v1/leads/%00", "path.4"],
      ["/api/v1/reps/rep%00x", "path.4"],
      ["/api/v1/forms/%ED%A0%80?x=%F0%9F%98%80", undefined],
    ] as const) {
      const res = await call<ErrorBody>("GET", path, { key: ws.key });
      expect(res.status, path).toBeLessThan(500);
      expect(isErrorShape(res.json) || res.status === 200, path).toBe(true);
      if (field) {
        expect(res.status, path).toBe(400);
        expect(res.json.error.fields, path).toHaveProperty([field]);
      }
    }
  });
});
