import { describe, expect, it } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";
import { CHANNELS } from "../../workers/index";
import type { ApiKeyJson, LeadCreatedJson, PersonInvitedJson, PoolJson } from "../support/response-json";
import {
  allRows,
  call,
  type ErrorBody,
  fetchWorker,
  isErrorShape,
  libsqlUrl,
  seedWorkspace,
  testDb,
  uniqueEmail,
} from "../support/workers/harness";
import { ownerOperations, validBodyFor } from "../support/workers/openapi-routes";

/** Authorization headers that must never open the owner API. */
function forgeries(realKey: string): [string, Record<string, string>, string?][] {
  const flipped = realKey.slice(0, -1) + (realKey.endsWith("a") ? "b" : "a");
  return [
    ["no header", {}],
    ["empty bearer", { authorization: "Bearer " }],
    ["not a key", { authorization: "Bearer nope" }],
    ["unknown key of the right shape", { authorization: `Bearer lr_${"0".repeat(40)}` }],
    ["real key, last char changed", { authorization: `Bearer ${flipped}` }],
    ["real key with a suffix", { authorization: `Bearer ${realKey}x` }],
    ["real key, Basic scheme", { authorization: `Basic ${btoa(`${realKey}:`)}` }],
    ["real key as a query parameter", {}, `key=${realKey}&api_key=${realKey}`],
    ["real key in a cookie", { cookie: `key=${realKey}` }],
  ];
}

describe("forged or missing secrets → 401, no side effect", () => {
  it("every owner route (from the OpenAPI document) refuses every forged credential, writing nothing", async () => {
    const ws = await seedWorkspace();
    const lead = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: "victim@example.com" } })
    ).json.lead;
    const pool = (await call<PoolJson>("POST", "/api/v1/pools", { key: ws.key, body: { name: "Victim pool" } })).json;
    const person = (
      await call<PersonInvitedJson>("POST", "/api/v1/people", {
        key: ws.key,
        body: { email: uniqueEmail(), name: "Victim", role: "admin" },
      })
    ).json.person;
    const otherKey = (
      await call<ApiKeyJson>("POST", "/api/v1/api-keys", { key: ws.key, body: { name: "victim", scope: "read" } })
    ).json;
    const ids: Record<string, string> = {
      leads: lead.id,
      reps: ws.reps[0]!.id,
      forms: ws.form.id,
      pools: pool.id,
      people: person.id,
      "api-keys": otherKey.id,
    };
    const before = await allRows([ws.id]);
    let probes = 0;
    for (const op of await ownerOperations()) {
      if (op.method === "POST" && op.resource === "workspaces") continue; // open sign-up unless ADMIN_TOKEN: below
      const path = op.template.replace("{id}", ids[op.resource] ?? "x_1");
      for (const [label, headers, query] of forgeries(ws.key)) {
        // fetchWorker, not SELF.fetch: hundreds of probes, and SELF.fetch slows down with every call made.
        const res = await fetchWorker(`${path}${query ? `?${query}` : ""}`, {
          method: op.method,
          headers: { ...headers, ...(op.hasBody ? { "content-type": "application/json" } : {}) },
          body: op.hasBody
            ? JSON.stringify(validBodyFor(op, label, { repId: ws.reps[0]!.id, poolId: pool.id }))
            : undefined,
        });
        const what = `${op.method} ${op.template} with ${label}`;
        expect(res.status, what).toBe(401);
        expect(res.headers.get("www-authenticate"), what).toMatch(/^Bearer/);
        const json = await res.json();
        expect(isErrorShape(json), what).toBe(true);
        expect(JSON.stringify(json), what).not.toContain("victim@example.com");
        probes++;
      }
    }
    expect(probes).toBeGreaterThanOrEqual(12 * 9);
    expect(await allRows([ws.id])).toEqual(before);
  });

  it("a revoked key → 401", async () => {
    const ws = await seedWorkspace();
    await testDb().execute({
      sql: "UPDATE api_key SET revoked_at = ? WHERE workspace_id = ?",
      args: [Date.now(), ws.id],
    });
    const res = await call<ErrorBody>("GET", "/api/v1/leads", { key: ws.key });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("UNAUTHORIZED");
  });

  it("with ADMIN_TOKEN set, creating a workspace without it or with a near miss → 401, no workspace", async () => {
    const admin = "admin-token-0123456789abcdef";
    const parsed = parseConfig({ LIBSQL_URL: libsqlUrl, ADMIN_TOKEN: admin });
    if (!parsed.ok) throw new Error(parsed.issues.join());
    const app = createApp(parsed.config, CHANNELS);
    // A workspace anywhere is what this would write: the count of workspaces is global.
    const before = await allRows([]);
    for (const auth of [
      undefined,
      "Bearer ",
      `Bearer ${admin.slice(0, -1)}`,
      `Bearer ${admin}0`,
      `Basic ${admin}`,
      `Bearer ${admin.toUpperCase()}`,
    ]) {
      const res = await app.request("/api/v1/workspaces", {
        method: "POST",
        headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ name: "Intruder" }),
      });
      expect(res.status, String(auth)).toBe(401);
    }
    expect(await allRows([])).toEqual(before);
    const ok = await app.request("/api/v1/workspaces", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ name: "Invited" }),
    });
    expect(ok.status).toBe(201);
  });
});
