import { describe, expect, it } from "vitest";
import {
  call,
  countRows,
  type ErrorBody,
  seedWorkspace,
  submit,
  type TestResponse,
  testDb,
  uniqueEmail,
} from "../support/workers/harness";

/** Every bad submission: a 4xx naming the field, and not a single row written. */
async function expectRejected(
  ws: { id: string },
  res: Pick<TestResponse<ErrorBody>, "status" | "json">,
  status: number,
  field: string,
) {
  expect(res.status).toBe(status);
  expect(res.json.error.code).toBeTypeOf("string");
  expect(res.json.error.requestId).toBeTypeOf("string");
  expect(Object.keys(res.json.error.fields ?? {})).toContain(field);
  const db = testDb();
  expect(await countRows(db, "lead", ws.id)).toBe(0);
  expect(await countRows(db, "lead_event", ws.id)).toBe(0);
}

describe("public form capture rejects bad input", () => {
  it("malformed JSON → 400 naming the body", async () => {
    const ws = await seedWorkspace();
    const res = await call<ErrorBody>("POST", `/f/${ws.form.publicKey}`, {
      rawBody: '{"name": "x",',
      headers: { "content-type": "application/json" },
    });
    await expectRejected(ws, res, 400, "body");
    expect(res.json.error.code).toBe("INVALID_JSON");
  });

  it("a JSON array or string instead of an object → 400", async () => {
    const ws = await seedWorkspace();
    await expectRejected(ws, await submit<ErrorBody>(ws.form.publicKey, ["a"]), 400, "body");
    await expectRejected(ws, await submit<ErrorBody>(ws.form.publicKey, "name=x"), 400, "body");
  });

  it("wrong types → 422 naming each field", async () => {
    const ws = await seedWorkspace();
    const res = await submit<ErrorBody>(ws.form.publicKey, { name: { first: "A" }, email: ["a@b.co"] });
    await expectRejected(ws, res, 422, "name");
    expect(res.json.error.fields).toHaveProperty("email");
  });

  it("missing required field → 422", async () => {
    const ws = await seedWorkspace();
    await expectRejected(ws, await submit<ErrorBody>(ws.form.publicKey, { email: uniqueEmail() }), 422, "name");
  });

  it("no way to reach the prospect → 422 naming contact", async () => {
    const ws = await seedWorkspace();
    await expectRejected(ws, await submit<ErrorBody>(ws.form.publicKey, { name: "Nobody" }), 422, "contact");
  });

  it("bad phone → 422 naming phone", async () => {
    const ws = await seedWorkspace();
    const res = await submit<ErrorBody>(ws.form.publicKey, { name: "P", phone: "12" });
    await expectRejected(ws, res, 422, "phone");
    expect(res.json.error.fields!.phone).toMatch(/phone/i);
  });

  it("bad email → 422 naming email", async () => {
    const ws = await seedWorkspace();
    await expectRejected(
      ws,
      await submit<ErrorBody>(ws.form.publicKey, { name: "E", email: "not-an-email" }),
      422,
      "email",
    );
  });

  it("too long for the field's rule → 422", async () => {
    const ws = await seedWorkspace();
    await expectRejected(
      ws,
      await submit<ErrorBody>(ws.form.publicKey, { name: "x".repeat(121), email: uniqueEmail() }),
      422,
      "name",
    );
  });

  it("oversized body → 413 before anything is parsed", async () => {
    const ws = await seedWorkspace();
    const res = await submit<ErrorBody>(ws.form.publicKey, {
      name: "Big",
      email: uniqueEmail(),
      message: "x".repeat(40_000),
    });
    await expectRejected(ws, res, 413, "body");
    expect(res.json.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("unsupported content type → 415 naming content-type", async () => {
    const ws = await seedWorkspace();
    const res = await call<ErrorBody>("POST", `/f/${ws.form.publicKey}`, {
      rawBody: "name=x",
      headers: { "content-type": "text/plain" },
    });
    await expectRejected(ws, res, 415, "content-type");
  });

  it("a disallowed origin → 403, nothing stored", async () => {
    const ws = await seedWorkspace({ form: { allowedOrigins: ["https://acme.test"] } });
    const res = await submit<ErrorBody>(
      ws.form.publicKey,
      { name: "Eve", email: uniqueEmail() },
      { origin: "https://evil.test" },
    );
    await expectRejected(ws, res, 403, "origin");
  });

  it("unknown form → 404 with the error shape", async () => {
    const res = await submit<ErrorBody>("f_doesnotexist000000", { name: "x", email: "x@example.com" });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("NOT_FOUND");
  });

  it("errors carry CORS headers so the embed snippet can read them", async () => {
    const ws = await seedWorkspace();
    const res = await submit<ErrorBody>(ws.form.publicKey, { name: "P", phone: "12" }, { origin: "https://acme.test" });
    expect(res.status).toBe(422);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://acme.test");
  });
});
