import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";
import { CHANNELS } from "../../workers/index";
import type { LeadCreatedJson, WebhookCreatedJson } from "../support/response-json";
import { call, isErrorShape, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { eventually, fakeApiUrl, fakeCalls, scriptFake, tick } from "../support/workers/outbox-harness";

/** The app as deployed: the test-only OUTBOUND_ALLOW_LOOPBACK left at its default (off). */
function productionApp() {
  const parsed = parseConfig({ ...(env as unknown as Record<string, unknown>), OUTBOUND_ALLOW_LOOPBACK: undefined });
  if (!parsed.ok) throw new Error(parsed.issues.join());
  expect(parsed.config.OUTBOUND_ALLOW_LOOPBACK).toBe(false);
  const app = createApp(parsed.config, CHANNELS);
  return (method: string, path: string, key: string, body: unknown) =>
    app.request(
      path,
      {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      },
      env,
    );
}

const HOSTILE = [
  "https://169.254.169.254/latest/meta-data/",
  "https://127.0.0.1/",
  "https://localhost/",
  "https://[::1]/",
  "https://10.0.0.1/",
  "https://192.168.1.1/",
  "https://0.0.0.0/",
  "https://2130706433/",
  "https://127.1/",
  "https://metadata.google.internal/",
  "https://user:pass@hooks.example.com/",
  "http://hooks.example.com/",
  `${fakeApiUrl}/hook/dev-only`,
];

async function endpointRows(workspaceId: string) {
  const rs = await testDb().execute({
    sql: "SELECT url FROM webhook_endpoint WHERE workspace_id = ?",
    args: [workspaceId],
  });
  return rs.rows.map((r) => String(r.url));
}

describe("outgoing webhooks never reach private networks", () => {
  it("an endpoint URL that is private, loopback, internal, credentialed or http → 422 on url", async () => {
    const ws = await seedWorkspace();
    const request = productionApp();
    for (const url of HOSTILE) {
      const res = await request("POST", "/api/v1/webhooks", ws.key, { url, events: ["lead.created"] });
      const json = (await res.json()) as any;
      expect(res.status, url).toBe(422);
      expect(isErrorShape(json), url).toBe(true);
      expect(json.error.fields.url, url).toBeTypeOf("string");
    }
    expect(await endpointRows(ws.id)).toEqual([]);

    const ok = await request("POST", "/api/v1/webhooks", ws.key, {
      url: "https://hooks.example.com/in",
      events: ["lead.created"],
    });
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: string };
    for (const url of ["https://169.254.169.254/", "https://[::ffff:127.0.0.1]/"]) {
      const res = await request("PATCH", `/api/v1/webhooks/${id}`, ws.key, { url });
      expect(res.status, url).toBe(422);
    }
    expect(await endpointRows(ws.id)).toEqual(["https://hooks.example.com/in"]);
  });

  it("a private URL already stored is refused at send time: failed, never reported as sent", async () => {
    const ws = await seedWorkspace();
    const now = Date.now();
    await testDb().execute({
      sql: `INSERT INTO webhook_endpoint (id, workspace_id, url, secret, events, active, created_at, updated_at)
            VALUES (?, ?, 'https://169.254.169.254/latest/meta-data/', 'whsec_x', '["lead.created"]', 1, ?, ?)`,
      args: [`whk_meta${now}`, ws.id, now, now],
    });
    const lead = (await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: uniqueEmail() } }))
      .json.lead;
    await tick(Date.now() + 60_000);
    const row = await eventually(async () => {
      const rs = await testDb().execute({
        sql: "SELECT state, last_error FROM outbox WHERE lead_id = ? AND sender = 'webhook'",
        args: [lead.id],
      });
      expect(rs.rows[0]?.state).toBe("failed");
      return rs.rows[0]!;
    });
    expect(String(row.last_error)).toMatch(/refused URL/);
  });

  it("a redirect is not followed: its target is never called and the row fails", async () => {
    const ws = await seedWorkspace();
    const path = `/hook/bounce-${crypto.randomUUID()}`;
    const target = `${path}-target`;
    await scriptFake(path, [`redirect:${target}`]);
    const created = await call<WebhookCreatedJson>("POST", "/api/v1/webhooks", {
      key: ws.key,
      body: { url: `${fakeApiUrl}${path}`, events: ["lead.created"] },
    });
    expect(created.status).toBe(201);
    const lead = (await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: ws.key, body: { email: uniqueEmail() } }))
      .json.lead;
    await tick(Date.now() + 60_000);
    await eventually(async () => expect((await fakeCalls(path)).map((c) => c.answered)).toEqual([307]));
    await tick(Date.now() + 3_600_000);
    expect(await fakeCalls(target)).toEqual([]);
    const rs = await testDb().execute({
      sql: "SELECT state, last_error FROM outbox WHERE lead_id = ? AND sender = 'webhook'",
      args: [lead.id],
    });
    expect(rs.rows[0]).toMatchObject({ state: "failed", last_error: expect.stringMatching(/redirect/) });
  });
});
