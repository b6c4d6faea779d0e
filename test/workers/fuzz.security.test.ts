import { describe, expect, it } from "vitest";
import type {
  LeadCreatedJson,
  LeadDetailJson,
  LeadJson,
  ListJson,
  OpenApiJson,
  PoolJson,
  RuleJson,
} from "../support/response-json";
import {
  call,
  callRaw,
  isErrorShape,
  leadRows,
  seedWorkspace,
  type TestWorkspace,
  testDb,
  uniqueEmail,
} from "../support/workers/harness";
import { hostileUrlPart, malformedCase, seededRandom } from "../support/workers/malformed-bodies";
import { type Operation, ownerOperations, validBodyFor } from "../support/workers/openapi-routes";
import { retarget, sign, uniqueWaId, waFixture, workspaceWithNumber } from "../support/workers/whatsapp-harness";

// Fixed seeds: a failure names its case index and replays exactly. Change or add seeds to explore further.
const FORM_SEEDS = [0x1ead, 0xbad5eed];
const API_SEED = 0x5eed;
const FORM_CASES_PER_SEED = 120;
const API_CASES_PER_ROUTE = 30;
const FORM_LIMIT = 32_768; // FORM_MAX_BODY_BYTES default
const API_LIMIT = 1_048_576; // API_MAX_BODY_BYTES default
const WHATSAPP_CASES = 120;

type Delta = { leads: number; inquiries: number; events: number };
const delta = (a: Delta, b: Delta): Delta => ({
  leads: b.leads - a.leads,
  inquiries: b.inquiries - a.inquiries,
  events: b.events - a.events,
});
const NOTHING = { leads: 0, inquiries: 0, events: 0 };

async function send(path: string, method: string, c: { body: Uint8Array; contentType: string | null }, key?: string) {
  const headers: Record<string, string> = {};
  if (c.contentType !== null) headers["content-type"] = c.contentType;
  if (key) headers.authorization = `Bearer ${key}`;
  return callRaw(method, path, c.body, headers);
}

/** Every stored lead and timeline reads back: the libSQL engine aborts on reading text that is not UTF-8. */
async function expectReadable(ws: TestWorkspace) {
  const list = await call<ListJson<LeadJson>>("GET", "/api/v1/leads?limit=200", { key: ws.key });
  expect(list.status, list.text.slice(0, 300)).toBe(200);
  for (const lead of list.json.data as { id: string }[]) {
    const detail = await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key });
    expect(detail.status, detail.text.slice(0, 300)).toBe(200);
  }
  for (const path of ["/api/v1/reps", "/api/v1/forms", "/api/v1/workspace"]) {
    expect((await call("GET", path, { key: ws.key })).status, path).toBe(200);
  }
}

describe("fuzzing the public form route", () => {
  it.each(FORM_SEEDS)(
    "seed %i: never a 5xx, one error shape, a rejected post writes nothing, an accepted one one lead or event",
    async (seed) => {
      const ws = await seedWorkspace();
      const r = seededRandom(seed);
      const seen = new Map<number, number>();
      for (let i = 0; i < FORM_CASES_PER_SEED; i++) {
        const c = malformedCase(r, FORM_LIMIT, () => ({
          name: "Fuzz",
          email: `fuzz-${seed}-${r.int(40)}@example.com`,
          message: "hi",
        }));
        const before = await leadRows(ws.id);
        const res = await send(`/f/${ws.form.publicKey}`, "POST", c);
        const d = delta(before, await leadRows(ws.id));
        const input = `seed ${seed} case ${i} (${c.label}, ${c.contentType})`;
        const what = `${input} → ${res.status} ${res.text.slice(0, 200)}`;
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) {
          expect(isErrorShape(res.json), what).toBe(true);
          expect(d, what).toEqual(NOTHING);
        } else {
          expect(res.status, what).toBe(200);
          // Honeypot hits store nothing; otherwise one inquiry event (a new lead only with its `created`
          // event) plus at most one routing event.
          expect([0, 1], what).toContain(d.inquiries);
          expect(d.leads, what).toBeLessThanOrEqual(d.inquiries);
          expect(d.events, what).toBeLessThanOrEqual(2 * d.inquiries);
        }
      }
      // The generator must exercise both sides, or the test proves nothing.
      expect(seen.get(200) ?? 0).toBeGreaterThan(0);
      expect([...seen.keys()].filter((s) => s >= 400).length).toBeGreaterThan(2);
      await expectReadable(ws);
    },
  );
});

describe("fuzzing the owner API routes", () => {
  it("every route with a JSON body (OpenAPI): never a 5xx, one error shape, no stray lead rows", async () => {
    const ws = await seedWorkspace();
    const lead = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", {
        key: ws.key,
        body: { name: "Target", email: uniqueEmail() },
      })
    ).json.lead;
    const ids: Record<string, string> = { leads: lead.id, reps: ws.reps[0]!.id, forms: ws.form.id };
    const pool = (await call<PoolJson>("POST", "/api/v1/pools", { key: ws.key, body: { name: "Fuzz pool" } })).json;
    const rule = (
      await call<RuleJson>("POST", "/api/v1/routing-rules", {
        key: ws.key,
        body: { name: "R", match: { sources: ["api"] }, poolId: pool.id },
      })
    ).json;
    ids.pools = pool.id;
    ids["routing-rules"] = rule.id;
    const own = { repId: ws.reps[0]!.id, poolId: pool.id };
    const doc = (await call<OpenApiJson>("GET", "/api/openapi.json")).json;
    const r = seededRandom(API_SEED);
    let routes = 0;
    for (const [template, ops] of Object.entries<Record<string, { requestBody?: unknown }>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.requestBody) continue;
        routes++;
        const resource = template.split("/")[3]!;
        const path = template.replace("{id}", ids[resource] ?? "unknown_0");
        const route = `${method} ${template}`;
        for (let i = 0; i < API_CASES_PER_ROUTE; i++) {
          const c = malformedCase(r, API_LIMIT, () =>
            validBodyFor({ method: method.toUpperCase(), template } as Operation, `${i}-${r.int(1e9)}`, own),
          );
          const before = await leadRows(ws.id);
          const res = await send(path, method.toUpperCase(), c, ws.key);
          const d = delta(before, await leadRows(ws.id));
          const what = `${route} case ${i} (${c.label}, ${c.contentType}) → ${res.status} ${res.text.slice(0, 200)}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) {
            expect(isErrorShape(res.json), what).toBe(true);
            expect(d, what).toEqual(NOTHING);
          } else if (route === "post /api/v1/leads") {
            // One inquiry; a new lead also gets its routing event.
            expect(d.inquiries, what).toBe(1);
            expect(d.leads, what).toBeLessThanOrEqual(1);
            expect(d.events, what).toBeLessThanOrEqual(2);
          } else if (template.startsWith("/api/v1/leads/{id}")) {
            // Status, owner, notes changes and claim/pass/assign: timeline events only.
            expect({ leads: d.leads, inquiries: d.inquiries }, what).toEqual({ leads: 0, inquiries: 0 });
            expect(d.events, what).toBeLessThanOrEqual(4);
          } else {
            // Other resources may reassign leads (a rep paused, a pool changed) but never create or drop one.
            expect({ leads: d.leads, inquiries: d.inquiries }, what).toEqual({ leads: 0, inquiries: 0 });
          }
        }
      }
    }
    expect(routes).toBeGreaterThanOrEqual(8);
    await expectReadable(ws);
  });
});

describe("fuzzing owner API URLs (path ids and query strings)", () => {
  it("every GET and DELETE route (OpenAPI): never a 5xx, one error shape, no lead rows touched", async () => {
    const ws = await seedWorkspace();
    await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { name: "Keep", email: uniqueEmail() } });
    const r = seededRandom(API_SEED + 1);
    const before = await leadRows(ws.id);
    const ops = (await ownerOperations()).filter((op) => op.method === "GET" || op.method === "DELETE");
    for (const op of ops) {
      for (let i = 0; i < API_CASES_PER_ROUTE; i++) {
        const { id, query } = hostileUrlPart(r);
        const path = `${op.template.replace("{id}", id)}${query ? `?${query}` : ""}`;
        const res = await callRaw(op.method, path, "", { authorization: `Bearer ${ws.key}` });
        const what = `${op.method} ${path.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, what).toBeLessThan(500);
        if (res.status >= 400) expect(isErrorShape(res.json), what).toBe(true);
      }
    }
    expect(await leadRows(ws.id)).toEqual(before);
    await expectReadable(ws);
  });
});

describe("fuzzing the WhatsApp webhook (validly signed bodies)", () => {
  it("bad JSON, shapes and text under a valid signature: never a 5xx, one error shape, no partial lead", async () => {
    const num = await workspaceWithNumber();
    const text = await waFixture("message_text");
    const r = seededRandom(0x3a11);
    const seen = new Map<number, number>();
    for (let i = 0; i < WHATSAPP_CASES; i++) {
      const c = malformedCase(r, 64 * 1024, () => retarget(text, num, { waId: uniqueWaId() }, `fz${i}`));
      const before = await leadRows(num.ws.id);
      const res = await callRaw("POST", `/hooks/whatsapp/${num.channelId}`, c.body, {
        ...(c.contentType ? { "content-type": c.contentType } : {}),
        "x-hub-signature-256": await sign(c.body, num.appSecret),
      });
      const d = delta(before, await leadRows(num.ws.id));
      const what = `case ${i} (${c.label}) → ${res.status} ${res.text.slice(0, 200)}`;
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) {
        expect(isErrorShape(res.json), what).toBe(true);
        expect(d, what).toEqual(NOTHING);
      } else {
        // At most the one message of the payload: a new lead always with its created event.
        expect(d.leads, what).toBeLessThanOrEqual(1);
        expect(d.inquiries, what).toBe(d.leads);
      }
    }
    // No lead without its `created` event: nothing half-written.
    const orphans = await testDb().execute({
      sql: `SELECT count(*) AS n FROM lead l WHERE l.workspace_id = ? AND NOT EXISTS (SELECT 1 FROM lead_event e
        WHERE e.lead_id = l.id AND e.type IN ('created', 're-inquiry'))`,
      args: [num.ws.id],
    });
    expect(Number(orphans.rows[0]!.n)).toBe(0);
    expect(seen.get(200) ?? 0).toBeGreaterThan(0);
    expect([...seen.keys()].some((s) => s >= 400)).toBe(true);
    await expectReadable(num.ws);
  });
});
