import { describe, expect, it } from "vitest";
import type { sendTestEvent, WebhookDelivery } from "../../workers/domain/channels/webhook-deliveries";
import { verifyWebhookSignature } from "../../workers/lib/webhook-signature";
import type { LeadCreatedJson, ListJson, WebhookCreatedJson, WebhookJson } from "../support/response-json";
import { call, dashboardSession, type ErrorBody, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { eventually, fakeApiUrl, fakeCalls, scriptFake, tick } from "../support/workers/outbox-harness";

/** `POST /api/v1/webhooks/:id/test`: the delivery it made and its event id. */
type WebhookTestJson = Awaited<ReturnType<typeof sendTestEvent>>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function createEndpoint(key: string, events = ["lead.created"]) {
  const path = `/hook/rot-${Math.random().toString(36).slice(2)}`;
  const res = await call<WebhookCreatedJson>("POST", "/api/v1/webhooks", {
    key,
    body: { url: `${fakeApiUrl}${path}`, events },
  });
  expect(res.status).toBe(201);
  return { path, id: res.json.id as string, secret: res.json.secret as string };
}

describe("webhook secret rotation, test events and the delivery log", () => {
  it("a delivery signed in the overlap verifies with the old and the new secret; after 24 h only the new", async () => {
    const ws = await seedWorkspace();
    const hook = await createEndpoint(ws.key);
    const rotated = await call<WebhookCreatedJson>("POST", `/api/v1/webhooks/${hook.id}/rotate`, {
      key: ws.key,
      body: {},
    });
    expect(rotated.status).toBe(200);
    const secret = rotated.json.secret as string;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(hook.secret);
    expect(rotated.json.previousSecretExpiresAt).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(JSON.stringify(rotated.json)).not.toContain(hook.secret);
    // Neither secret is readable afterwards.
    const listed = await call<WebhookJson>("GET", `/api/v1/webhooks/${hook.id}`, { key: ws.key });
    expect(JSON.stringify(listed.json)).not.toContain(secret.slice(10));
    expect(JSON.stringify(listed.json)).not.toContain(hook.secret);

    await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { name: "Overlap", email: uniqueEmail() },
    });
    const [during] = await eventually(async () => {
      const got = await fakeCalls(hook.path);
      expect(got).toHaveLength(1);
      return got;
    });
    expect(during!.signature!.match(/v1=/g)).toHaveLength(2);
    expect(await verifyWebhookSignature(secret, during!.raw!, during!.signature!, nowSeconds())).toBe(true);
    expect(await verifyWebhookSignature(hook.secret, during!.raw!, during!.signature!, nowSeconds())).toBe(true);
    expect(await verifyWebhookSignature("whsec_other", during!.raw!, during!.signature!, nowSeconds())).toBe(false);

    // The overlap ends: the old secret stops signing.
    await testDb().execute({
      sql: "UPDATE webhook_endpoint SET previous_secret_expires_at = ? WHERE id = ?",
      args: [Date.now() - 1, hook.id],
    });
    await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { name: "After", email: uniqueEmail() },
    });
    const after = await eventually(async () => {
      const got = await fakeCalls(hook.path);
      expect(got).toHaveLength(2);
      return got[1]!;
    });
    expect(after.signature!.match(/v1=/g)).toHaveLength(1);
    expect(await verifyWebhookSignature(secret, after.raw!, after.signature!, nowSeconds())).toBe(true);
    expect(await verifyWebhookSignature(hook.secret, after.raw!, after.signature!, nowSeconds())).toBe(false);
  });

  it("a test event reaches the receiver signed, and every attempt is listed with its status code", async () => {
    const ws = await seedWorkspace();
    const hook = await createEndpoint(ws.key, ["lead.assigned"]);
    const sent = await call<WebhookTestJson>("POST", `/api/v1/webhooks/${hook.id}/test`, { key: ws.key, body: {} });
    expect(sent.status).toBe(200);
    expect(sent.json.delivery).toMatchObject({ statusCode: 204, outcome: "sent", eventType: "webhook.test" });
    const [got] = await fakeCalls(hook.path);
    expect(got!.body).toMatchObject({ id: sent.json.eventId, type: "webhook.test", workspaceId: ws.id });
    expect(await verifyWebhookSignature(hook.secret, got!.raw!, got!.signature!, nowSeconds())).toBe(true);

    // A receiver that fails: the attempt is logged with its code and retried, the retry logged too.
    await scriptFake(hook.path, ["http_503"]);
    const failing = await call<WebhookTestJson>("POST", `/api/v1/webhooks/${hook.id}/test`, { key: ws.key, body: {} });
    expect(failing.json.delivery).toMatchObject({ statusCode: 503, outcome: "retry", error: "HTTP 503" });
    await tick(Date.now() + 3_600_000);
    const log = await eventually(async () => {
      const res = await call<ListJson<WebhookDelivery>>("GET", `/api/v1/webhooks/${hook.id}/deliveries`, {
        key: ws.key,
      });
      expect(res.json.data).toHaveLength(3);
      return res.json.data as { statusCode: number; eventId: string; attemptedAt: number }[];
    });
    expect(log.map((d) => d.statusCode)).toEqual([204, 503, 204]);
    expect(log[0]!.eventId).toBe(failing.json.eventId);
    expect(log[2]!.eventId).toBe(sent.json.eventId);
  });

  it("rotate, test, deliveries and read answer 404 for another workspace's endpoint and change nothing", async () => {
    const ws = await seedWorkspace();
    const other = await seedWorkspace();
    const hook = await createEndpoint(ws.key);
    for (const [method, path] of [
      ["POST", `/api/v1/webhooks/${hook.id}/rotate`],
      ["POST", `/api/v1/webhooks/${hook.id}/test`],
      ["GET", `/api/v1/webhooks/${hook.id}/deliveries`],
      ["GET", `/api/v1/webhooks/${hook.id}`],
    ] as const) {
      const res = await call<ErrorBody>(method, path, { key: other.key, ...(method === "POST" ? { body: {} } : {}) });
      expect(res.status, path).toBe(404);
      expect(res.json.error.code).toBe("NOT_FOUND");
    }
    const row = await testDb().execute({
      sql: "SELECT secret, previous_secret FROM webhook_endpoint WHERE id = ?",
      args: [hook.id],
    });
    expect(row.rows[0]).toMatchObject({ secret: hook.secret, previous_secret: null });
    expect(await fakeCalls(hook.path)).toEqual([]);
  });

  it("the console's endpoint pages answer 404 for another workspace's endpoint and change nothing", async () => {
    const ws = await seedWorkspace();
    const other = await seedWorkspace();
    const hook = await createEndpoint(ws.key);
    const { cookie } = await dashboardSession(other.key);
    const headers = { cookie, origin: "https://leadrelay.test", "content-type": "application/x-www-form-urlencoded" };
    expect((await call("GET", `/app/webhooks/${hook.id}`, { headers: { cookie } })).status).toBe(404);
    for (const sub of ["", "/rotate", "/test", "/delete"]) {
      const res = await call("POST", `/app/webhooks/${hook.id}${sub}`, {
        headers,
        rawBody: new URLSearchParams({ url: "https://evil.example/x", "event_lead.created": "on" }).toString(),
      });
      expect(res.status, sub).toBe(404);
    }
    const row = await testDb().execute({
      sql: "SELECT url, secret, previous_secret FROM webhook_endpoint WHERE id = ?",
      args: [hook.id],
    });
    expect(row.rows[0]).toMatchObject({ url: `${fakeApiUrl}${hook.path}`, secret: hook.secret, previous_secret: null });
    expect(await fakeCalls(hook.path)).toEqual([]);
  });

  it("a paused endpoint gets no test event (409)", async () => {
    const ws = await seedWorkspace();
    const hook = await createEndpoint(ws.key);
    await call<WebhookJson>("PATCH", `/api/v1/webhooks/${hook.id}`, { key: ws.key, body: { active: false } });
    const res = await call("POST", `/api/v1/webhooks/${hook.id}/test`, { key: ws.key, body: {} });
    expect(res.status).toBe(409);
    expect(await fakeCalls(hook.path)).toEqual([]);
  });
});
