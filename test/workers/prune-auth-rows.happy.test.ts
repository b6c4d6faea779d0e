import { describe, expect, it } from "vitest";
import { PRUNE_BATCH, pruneAuthRows } from "../../workers/cron/prune-auth-rows";
import { SESSION_IDLE_MS, SESSION_MAX_MS } from "../../workers/domain/team/sessions";
import { createSenders } from "../../workers/outbox/senders";
import { dashboardSession, seedWorkspace, testDb } from "../support/workers/harness";
import { domainContext } from "../support/workers/outbox-harness";

const HOUR = 3_600_000;

describe("cron: prune expired sessions and throttle counters", () => {
  it("deletes idle and too-old sessions and past throttle windows, keeps live ones; runs again safely", async () => {
    const ws = await seedWorkspace();
    await dashboardSession(ws.key); // creates the owner person and one live session
    const db = testDb();
    const owner = await db.execute({ sql: "SELECT person_id FROM session WHERE workspace_id = ?", args: [ws.id] });
    const personId = String(owner.rows[0]!.person_id);
    const now = Date.now();
    const tag = ws.id.slice(-10);
    const sessions: [string, number, number][] = [
      [`idle-${tag}`, now - SESSION_IDLE_MS - HOUR, now - SESSION_IDLE_MS - 1],
      [`old-${tag}`, now - SESSION_MAX_MS - 1, now - 1000],
      [`live-${tag}`, now - HOUR, now - 60_000],
    ];
    for (const [id, createdAt, lastSeenAt] of sessions)
      await db.execute({
        sql: `INSERT INTO session (id, workspace_id, person_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)`,
        args: [id, ws.id, personId, createdAt, lastSeenAt],
      });
    await db.execute({
      sql: `INSERT INTO auth_throttle (key, window_start, count) VALUES (?, ?, 3), (?, ?, 3)`,
      args: [`signin-ip:old-${tag}`, now - 2 * HOUR, `signin-ip:new-${tag}`, now - 60_000],
    });

    const ctx = domainContext(() => now);
    const first = await pruneAuthRows.run({ ctx, senders: createSenders(ctx.config, ctx.channels) });
    expect(first.sessions).toBeGreaterThanOrEqual(2);
    expect(first.throttles).toBeGreaterThanOrEqual(1);
    expect(first.sessions).toBeLessThanOrEqual(PRUNE_BATCH);

    const left = await db.execute({ sql: "SELECT id FROM session WHERE workspace_id = ? ORDER BY id", args: [ws.id] });
    const ids = left.rows.map((r) => String(r.id));
    expect(ids).toContain(`live-${tag}`);
    expect(ids).not.toContain(`idle-${tag}`);
    expect(ids).not.toContain(`old-${tag}`);
    expect(ids).toHaveLength(2); // the live row above and the sign-in's own session
    const counters = await db.execute({
      sql: "SELECT key FROM auth_throttle WHERE key IN (?, ?)",
      args: [`signin-ip:old-${tag}`, `signin-ip:new-${tag}`],
    });
    expect(counters.rows.map((r) => r.key)).toEqual([`signin-ip:new-${tag}`]);

    const second = await pruneAuthRows.run({ ctx, senders: createSenders(ctx.config, ctx.channels) });
    expect(second.sessions).toBe(0);
    expect(second.throttles).toBe(0);
  });
});
