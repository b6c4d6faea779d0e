import { describe, expect, it } from "vitest";
import { captureLead } from "../../workers/domain/capture/capture-lead";
import { seedWorkspace, testDb } from "../support/workers/harness";
import {
  addTelegramChannel,
  domainContext,
  fakeApiUrl,
  fakeCalls,
  outboxFor,
  scriptFake,
  tick,
  uniqueChatId,
} from "../support/workers/outbox-harness";

const MIN = 60_000;

describe("outbox permanent failures", () => {
  it("403 blocked: failed, never retried; the chat marked unreachable, later messages skipped", async () => {
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, { autoReplyText: "Hi {name}" });
    const chat = uniqueChatId();
    await scriptFake(chat, ["telegram_403"]);
    const ctx = domainContext();
    const { lead } = await captureLead(
      { ctx, workspace: { id: ws.id, defaultCountry: "US" }, actor: { type: "prospect" } },
      { source: "telegram", telegramUserId: chat, name: "Bo" },
    );
    const t0 = Date.now();
    await tick(t0);
    await tick(t0 + 10 * MIN);
    await tick(t0 + 24 * 60 * MIN);

    expect((await fakeCalls(chat)).map((c) => c.answered)).toEqual([403]);
    expect((await outboxFor(lead.id))[0]).toMatchObject({
      state: "failed",
      attempts: 1,
      last_error: "Forbidden: bot was blocked by the user",
    });
    const sup = await testDb().execute({
      sql: `SELECT * FROM suppression WHERE workspace_id = ? AND address = ?`,
      args: [ws.id, chat],
    });
    expect(sup.rows[0]).toMatchObject({ sender: "telegram", reason: "blocked", lead_id: lead.id });

    // Anything else queued for that chat is recorded as skipped, not sent blindly.
    await testDb().execute({
      sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
            idempotency_key, due_at, created_at, updated_at)
            SELECT 'obx_test_' || ?, workspace_id, lead_id, 'follow_up', 'telegram', channel_id, recipient, payload,
              'test:' || ?, ?, ?, ? FROM outbox WHERE lead_id = ?`,
      args: [chat, chat, t0, t0, t0, lead.id],
    });
    await tick(t0 + 25 * 60 * MIN);
    expect(await fakeCalls(chat)).toHaveLength(1);
    const rows = await outboxFor(lead.id);
    expect(rows.map((r) => r.state).sort()).toEqual(["failed", "skipped"]);
  });

  it("a row past its last attempt is dead, not retried forever", async () => {
    const { MAX_ATTEMPTS } = await import("../../workers/outbox/backoff");
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, { autoReplyText: "Hi" });
    const chat = uniqueChatId();
    await scriptFake(
      chat,
      Array.from({ length: MAX_ATTEMPTS + 2 }, () => "telegram_429"),
    );
    const { lead } = await captureLead(
      { ctx: domainContext(), workspace: { id: ws.id, defaultCountry: "US" }, actor: { type: "prospect" } },
      { source: "telegram", telegramUserId: chat },
    );
    let t = Date.now();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await tick(t);
      t += 2 * 60 * MIN; // past any backoff
    }
    expect(await fakeCalls(chat)).toHaveLength(MAX_ATTEMPTS);
    expect((await outboxFor(lead.id))[0]).toMatchObject({ state: "dead", attempts: MAX_ATTEMPTS });
  });

  it("outgoing webhooks: 5xx is retried, 410 is permanent, 2xx is delivered", async () => {
    const ws = await seedWorkspace();
    const t0 = Date.now();
    const hooks = [`/hook/retry-${uniqueChatId()}`, `/hook/gone-${uniqueChatId()}`];
    await scriptFake(hooks[0]!, ["http_503"]);
    await scriptFake(hooks[1]!, ["http_410"]);
    for (const [i, path] of hooks.entries()) {
      await testDb().execute({
        sql: `INSERT INTO outbox (id, workspace_id, kind, sender, recipient, payload, idempotency_key, due_at,
              created_at, updated_at)
              VALUES (?, ?, 'webhook', 'webhook', ?, ?, ?, ?, ?, ?)`,
        args: [
          `obx_hook_${path.slice(6)}`,
          ws.id,
          `${fakeApiUrl}${path}`,
          JSON.stringify({ body: { event: "lead.created", n: i } }),
          `hook:${path}`,
          t0,
          t0,
          t0,
        ],
      });
    }
    await tick(t0);
    await tick(t0 + 10 * MIN);
    await tick(t0 + 20 * MIN);
    expect((await fakeCalls(hooks[0]!)).map((c) => [c.answered, c.body])).toEqual([
      [503, { event: "lead.created", n: 0 }],
      [204, { event: "lead.created", n: 0 }],
    ]);
    expect((await fakeCalls(hooks[1]!)).map((c) => c.answered)).toEqual([410]);
    const rs = await testDb().execute({
      sql: `SELECT recipient, state FROM outbox WHERE workspace_id = ? ORDER BY recipient`,
      args: [ws.id],
    });
    expect(rs.rows.map((r) => r.state)).toEqual(["failed", "sent"]);
  });
});
