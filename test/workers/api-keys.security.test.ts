import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";
import { CHANNELS } from "../../workers/index";
import type { ApiKeyJson, ErrorBody, LeadJson, ListJson } from "../support/response-json";
import { allRows, call, dashboardSession, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { formPost } from "../support/workers/team-harness";

/** A key as created or rotated: the secret is in this answer only. */
type CreatedKey = ApiKeyJson & { key: string; replaces?: string };

const post = <T = CreatedKey>(key: string, path: string, body: unknown) => call<T>("POST", path, { key, body });

describe("API keys", () => {
  it("named keys; the secret shown once; revoked → 401 on the very next call; rotate replaces it", async () => {
    const ws = await seedWorkspace();
    const created = await post(ws.key, "/api/v1/api-keys", { name: "CRM sync", scope: "write" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: "CRM sync",
      scope: "write",
      revokedAt: null,
      key: expect.stringMatching(/^lr_/),
    });
    const key2: string = created.json.key;
    expect((await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: key2 })).status).toBe(200);

    const list = await call<ListJson<ApiKeyJson>>("GET", "/api/v1/api-keys", { key: ws.key });
    expect(list.json.data.map((k: { name: string }) => k.name)).toEqual(["default", "CRM sync"]);
    expect(list.text).not.toContain(key2);
    expect(list.text).not.toContain(ws.key);
    expect(list.json.data[1]!.lastUsedAt).toBeTypeOf("number");
    const hash = (await testDb().execute({ sql: "SELECT hash FROM api_key WHERE id = ?", args: [created.json.id] }))
      .rows[0]!.hash;
    expect(list.text).not.toContain(String(hash));

    const revoked = await call<ApiKeyJson>("DELETE", `/api/v1/api-keys/${created.json.id}`, { key: ws.key });
    expect(revoked.status).toBe(200);
    expect(revoked.json.revokedAt).toBeTypeOf("number");
    const next = await call<ErrorBody>("GET", "/api/v1/leads", { key: key2 });
    expect(next.status).toBe(401);
    expect(next.json.error.code).toBe("UNAUTHORIZED");

    const rotated = await post(ws.key, `/api/v1/api-keys/${list.json.data[0]!.id}/rotate`, {});
    expect(rotated.status).toBe(201);
    expect(rotated.json).toMatchObject({ name: "default", scope: "write", replaces: list.json.data[0]!.id });
    expect((await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).status).toBe(401);
    expect((await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: rotated.json.key })).status).toBe(200);
    expect((await post(rotated.json.key, `/api/v1/api-keys/${list.json.data[0]!.id}/rotate`, {})).status).toBe(409);
  });

  it("scopes: read is GET only, capture creates leads only, neither manages keys or people", async () => {
    const ws = await seedWorkspace();
    const read = (await post(ws.key, "/api/v1/api-keys", { name: "reporting", scope: "read" })).json.key;
    const capture = (await post(ws.key, "/api/v1/api-keys", { name: "website", scope: "capture" })).json.key;
    expect((await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: read })).status).toBe(200);
    const before = await allRows([ws.id]);
    for (const [key, method, path, body] of [
      [read, "POST", "/api/v1/leads", { email: uniqueEmail() }],
      [read, "POST", "/api/v1/api-keys", { name: "escalate", scope: "write" }],
      [read, "PATCH", "/api/v1/workspace", { name: "pwned" }],
      [capture, "GET", "/api/v1/leads", undefined],
      [capture, "POST", "/api/v1/people", { email: uniqueEmail(), name: "x", role: "admin" }],
      [capture, "GET", "/api/v1/api-keys", undefined],
    ] as const) {
      const res = await call<ErrorBody>(method, path, { key, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.error.code).toBe("FORBIDDEN");
    }
    expect(await allRows([ws.id])).toEqual(before);
    expect((await post(capture, "/api/v1/leads", { email: uniqueEmail() })).status).toBe(201);
    // A read or capture key cannot open the console either.
    expect((await formPost("/app/login", { apiKey: read })).status).toBe(401);
  });

  it("the console creates, rotates and revokes keys; the secret appears once", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const created = await formPost("/app/keys", { name: "Zapier", scope: "capture" }, cookie);
    expect(created.status).toBe(201);
    const secret = /<pre id="shown-once" data-secret>(lr_[A-Za-z0-9]+)<\/pre>/.exec(created.text)?.[1];
    expect(secret).toBeDefined();
    const keys = (await call<ListJson<ApiKeyJson>>("GET", "/api/v1/api-keys", { key: ws.key })).json.data;
    const zapier = keys.find((k: { name: string }) => k.name === "Zapier")!;
    expect(zapier.scope).toBe("capture");
    const listing = await call("GET", "/app/keys", { headers: { cookie } });
    expect(listing.text).toContain("Zapier");
    expect(listing.text).not.toContain(secret!);
    expect((await formPost("/app/keys", { name: "", scope: "write" }, cookie)).status).toBe(422);
    expect((await formPost("/app/keys", { name: "x", scope: "root" }, cookie)).status).toBe(422);

    expect((await post(secret!, "/api/v1/leads", { email: uniqueEmail() })).status).toBe(201);
    const rotated = await formPost(`/app/keys/${zapier.id}/rotate`, {}, cookie);
    const fresh = /data-secret>(lr_[A-Za-z0-9]+)</.exec(rotated.text)?.[1];
    expect((await post(secret!, "/api/v1/leads", { email: uniqueEmail() })).status).toBe(401);
    expect((await post(fresh!, "/api/v1/leads", { email: uniqueEmail() })).status).toBe(201);
    const newId = (await call<ListJson<ApiKeyJson>>("GET", "/api/v1/api-keys", { key: ws.key })).json.data.find(
      (k: { name: string; revokedAt: number | null }) => k.name === "Zapier" && !k.revokedAt,
    )!.id;

    expect((await formPost(`/app/keys/${newId}/revoke`, {}, cookie)).status).toBe(200);
    expect((await post(fresh!, "/api/v1/leads", { email: uniqueEmail() })).status).toBe(401);
    // Another workspace's key id is not found from this console.
    const other = await seedWorkspace();
    const otherKey = (await call<ListJson<ApiKeyJson>>("GET", "/api/v1/api-keys", { key: other.key })).json.data[0]!.id;
    expect((await formPost(`/app/keys/${otherKey}/revoke`, {}, cookie)).status).toBe(404);
    expect((await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: other.key })).status).toBe(200);
  });

  it("failed keys per address → 429 with Retry-After; other addresses unaffected", async () => {
    const ws = await seedWorkspace();
    const ip = { "cf-connecting-ip": `192.0.2.${Math.floor(Math.random() * 250)}` };
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push(
        (
          await call<ListJson<LeadJson>>("GET", "/api/v1/leads", {
            key: `lr_${String(i).padStart(40, "q")}`,
            headers: ip,
          })
        ).status,
      );
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const limited = await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key, headers: ip });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(
      (
        await call<ListJson<LeadJson>>("GET", "/api/v1/leads", {
          key: ws.key,
          headers: { "cf-connecting-ip": "192.0.2.251" },
        })
      ).status,
    ).toBe(200);
  });
});

describe("workspace sign-up fails closed", () => {
  it("a deployed database without ADMIN_TOKEN refuses sign-up with how to enable it", async () => {
    const parsed = parseConfig({ LIBSQL_URL: "libsql://db-org.turso.io" });
    if (!parsed.ok) throw new Error(parsed.issues.join());
    const res = await createApp(parsed.config, CHANNELS).request("/api/v1/workspaces", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Anyone" }),
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("FORBIDDEN");
    expect(body.error.message).toContain("ADMIN_TOKEN");
    expect(body.error.message).toContain("wrangler secret put ADMIN_TOKEN");
  });

  it("sign-ups per address → 429 after 10 an hour", async () => {
    const ip = { "cf-connecting-ip": `198.18.0.${Math.floor(Math.random() * 250)}` };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await call("POST", "/api/v1/workspaces", { body: { name: `Flood ${i}` }, headers: ip })).status);
    expect(statuses).toEqual([...Array(10).fill(201), 429]);
    expect(
      (
        await call("POST", "/api/v1/workspaces", {
          body: { name: "Elsewhere" },
          headers: { "cf-connecting-ip": "198.18.1.1" },
        })
      ).status,
    ).toBe(201);
  });

  it("the operator's sign-ups with ADMIN_TOKEN are not limited by address; without it they are refused", async () => {
    const parsed = parseConfig({ ...env, ADMIN_TOKEN: "operator-token-0123456789" });
    if (!parsed.ok) throw new Error(parsed.issues.join());
    const app = createApp(parsed.config, CHANNELS);
    const ip = `198.18.2.${Math.floor(Math.random() * 250)}`;
    const signUp = (authorization?: string) =>
      app.request(
        "/api/v1/workspaces",
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "cf-connecting-ip": ip,
            ...(authorization ? { authorization } : {}),
          },
          body: JSON.stringify({ name: "Operator's" }),
        },
        env,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signUp("Bearer operator-token-0123456789")).status);
    expect(statuses).toEqual(Array(12).fill(201));
    expect((await signUp()).status).toBe(401);
  });
});
