import { describe, expect, it } from "vitest";
import type { LeadCreatedJson, LeadJson, ListJson } from "../support/response-json";
import { call, type ErrorBody, seedWorkspace } from "../support/workers/harness";

describe("owner API errors have one shape and name the field", () => {
  it("no key, a malformed key and an unknown key → 401", async () => {
    for (const key of [undefined, "nope", "lr_0000000000000000000000000000000000000000"]) {
      const res = await call<ErrorBody>("GET", "/api/v1/leads", key ? { key } : {});
      expect(res.status).toBe(401);
      expect(res.json.error).toMatchObject({ code: "UNAUTHORIZED" });
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
  });

  it("malformed JSON → 400 INVALID_JSON naming body", async () => {
    const ws = await seedWorkspace();
    const res = await call<ErrorBody>("POST", "/api/v1/reps", {
      key: ws.key,
      rawBody: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "INVALID_JSON", fields: { body: expect.any(String) } });
  });

  it("wrong content type → 415 naming content-type", async () => {
    const ws = await seedWorkspace();
    const res = await call<ErrorBody>("POST", "/api/v1/reps", {
      key: ws.key,
      rawBody: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect(res.json.error.fields).toHaveProperty("content-type");
  });

  it("wrong types and missing fields → 422 with every field named", async () => {
    const ws = await seedWorkspace();
    const res = await call<ErrorBody>("POST", "/api/v1/reps", {
      key: ws.key,
      body: { weight: "heavy", timezone: "Mars/Olympus" },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(res.json.error.fields!).sort()).toEqual(["name", "timezone", "weight"]);
  });

  it("nested field paths are named (form field definitions)", async () => {
    const ws = await seedWorkspace();
    const res = await call<ErrorBody>("POST", "/api/v1/forms", {
      key: ws.key,
      body: {
        name: "F",
        fields: [
          { name: "email", label: "Email", type: "email" },
          { name: "Bad Name", label: "x", type: "text" },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toHaveProperty("fields.1.name");
    const dup = await call<ErrorBody>("POST", "/api/v1/forms", {
      key: ws.key,
      body: {
        name: "F",
        fields: [
          { name: "email", label: "E", type: "email" },
          { name: "email", label: "E2", type: "email" },
        ],
      },
    });
    expect(dup.status).toBe(422);
    expect(dup.json.error.fields).toHaveProperty("fields.1.name");
  });

  it("bad query parameters → 422 naming them", async () => {
    const ws = await seedWorkspace();
    for (const [query, field] of [
      ["status=open", "status"],
      ["limit=0", "limit"],
      ["from=yesterday", "from"],
      ["cursor=%27%20OR%201", "cursor"],
    ] as const) {
      const res = await call<ErrorBody>("GET", `/api/v1/leads?${query}`, { key: ws.key });
      expect(res.status, query).toBe(422);
      expect(res.json.error.fields, query).toHaveProperty(field);
    }
  });

  it("a bad phone through the API capture → 422 naming phone, nothing written", async () => {
    const ws = await seedWorkspace();
    const res = await call<ErrorBody>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { name: "X", phone: "call me maybe" },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toHaveProperty("phone");
    expect((await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data).toEqual([]);
  });

  it("assigning to a rep that does not exist → 422 naming ownerRepId", async () => {
    const ws = await seedWorkspace();
    const { json } = await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { email: "z@example.com" },
    });
    const res = await call<ErrorBody>("PATCH", `/api/v1/leads/${json.lead.id}`, {
      key: ws.key,
      body: { ownerRepId: "rep_missing" },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.fields).toHaveProperty("ownerRepId");
  });

  it("unknown routes → 404 in the error shape", async () => {
    const res = await call<ErrorBody>("GET", "/nothing-here", {});
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("NOT_FOUND");
  });
});
