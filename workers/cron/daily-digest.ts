import type { InStatement } from "@libsql/client/web";
import { newId } from "../lib/ids";
import type { CronJob } from "./job";

// Workspaces looked at per tick. The insert is a no-op once today's digest exists, so at 1,000
// workspaces the job costs one read and one cheap batch a minute.
export const DIGEST_SCAN_LIMIT = 1000;
// Local hour from which the day's digest goes out (owners read it with their morning coffee).
export const DIGEST_HOUR = 8;

function localDateAndHour(at: number, timeZone: string): { date: string; hour: number } {
  const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" } as const;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-CA", { ...options, timeZone });
  } catch {
    // an unknown zone must not stop every digest
    format = new Intl.DateTimeFormat("en-CA", { ...options, timeZone: "UTC" });
  }
  const parts = format.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  return { date: `${get("year")}-${get("month")}-${get("day")}`, hour: Number(get("hour")) };
}

/**
 * Once a day per workspace, after DIGEST_HOUR local time: one outbox row to the owner's Telegram chat
 * (`ownerChatId` in the bot's channel config) with the last 24 hours' counts. Keyed `digest:<ws>:<local
 * date>`, so every later tick that day inserts nothing.
 */
export const dailyDigest: CronJob = {
  name: "daily-digest",
  async run({ ctx }) {
    const now = ctx.now();
    const { client } = ctx.database;
    const rs = await client.execute({
      sql: `SELECT c.id AS channel_id, c.workspace_id, json_extract(c.config, '$.ownerChatId') AS chat, w.timezone
            FROM channel c JOIN workspace w ON w.id = c.workspace_id
            WHERE c.kind = 'telegram' AND json_extract(c.config, '$.ownerChatId') IS NOT NULL
            ORDER BY c.workspace_id LIMIT :limit`,
      args: { limit: DIGEST_SCAN_LIMIT },
    });
    const statements: InStatement[] = [];
    const seen = new Set<string>();
    for (const r of rs.rows) {
      const ws = String(r.workspace_id);
      if (seen.has(ws)) continue;
      seen.add(ws);
      const local = localDateAndHour(now, String(r.timezone));
      if (local.hour < DIGEST_HOUR) continue;
      const key = `digest:${ws}:${local.date}`;
      statements.push({
        sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload,
              idempotency_key, state, attempts, due_at, created_at, updated_at)
              SELECT :oid, :ws, NULL, 'digest', 'telegram', :channel, :chat,
                json_object('text', 'LeadRelay daily digest (' || :date || '): '
                  || (SELECT count(*) FROM lead WHERE workspace_id = :ws AND created_at >= :since)
                    || ' new leads in the last 24 h, '
                  || (SELECT count(*) FROM lead WHERE workspace_id = :ws AND status = 'new')
                    || ' still waiting for a first response, '
                  || (SELECT count(*) FROM lead WHERE workspace_id = :ws AND status = 'won' AND updated_at >= :since)
                    || ' won.'),
                :key, 'pending', 0, :now, :now, :now
              WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE idempotency_key = :key)
              ON CONFLICT DO NOTHING`,
        args: {
          oid: newId("obx", now),
          ws,
          channel: String(r.channel_id),
          chat: String(r.chat),
          date: local.date,
          since: now - 86_400_000,
          key,
          now,
        },
      });
    }
    if (statements.length > 0) await client.batch(statements, "write");
    return { workspaces: seen.size, considered: statements.length };
  },
};
