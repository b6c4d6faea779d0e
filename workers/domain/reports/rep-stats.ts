import type { Scope } from "../context";
import { percentile } from "./dashboard-stats";

const DAY_MS = 86_400_000;
// Statuses a rep still has to work.
const OPEN = ["new", "contacted", "qualified"];

export interface RepNumbers {
  timeZone: string;
  /** Open leads the rep owns now. */
  open: number;
  /** Leads that came to the rep (assigned, still theirs) since local midnight / since Monday 00:00. */
  newToday: number;
  newThisWeek: number;
  /** Their leads marked won since Monday. */
  wonThisWeek: number;
  /** Their leads first answered since Monday, and the median of assigned → first response. */
  answeredThisWeek: number;
  medianFirstResponseMs: number | null;
}

/**
 * Local midnight today and on Monday of this week in `timeZone`, as epoch ms. Derived from the local
 * wall clock of `now`, so on a day that changes the clock (DST) the boundary may be off by that hour.
 */
export function localBoundaries(now: number, timeZone: string): { today: number; week: number } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    }).formatToParts(now);
  } catch {
    return localBoundaries(now, "UTC"); // an unknown zone must not break /stats
  }
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "0";
  const sinceMidnight =
    ((Number(get("hour")) * 60 + Number(get("minute"))) * 60 + Number(get("second"))) * 1000 + (now % 1000);
  const today = now - sinceMidnight;
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday"));
  return { today, week: today - Math.max(0, weekday) * DAY_MS };
}

export interface RepStatRows {
  open: number;
  /** The rep's leads assigned or first answered within the last 8 days. */
  recent: { assignedAt: number | null; firstResponseAt: number | null }[];
  /** When each of their leads was marked won, within the last 8 days. */
  wonAt: number[];
}

/** The numbers from the rows (pure, unit-tested). */
export function summarizeRepStats(rows: RepStatRows, now: number, timeZone: string): RepNumbers {
  const { today, week } = localBoundaries(now, timeZone);
  const delays = rows.recent
    .filter((l) => l.firstResponseAt !== null && l.firstResponseAt >= week && l.assignedAt !== null)
    .map((l) => Math.max(0, l.firstResponseAt! - l.assignedAt!))
    .sort((a, b) => a - b);
  return {
    timeZone,
    open: rows.open,
    newToday: rows.recent.filter((l) => l.assignedAt !== null && l.assignedAt >= today).length,
    newThisWeek: rows.recent.filter((l) => l.assignedAt !== null && l.assignedAt >= week).length,
    wonThisWeek: rows.wonAt.filter((t) => t >= week).length,
    answeredThisWeek: delays.length,
    medianFirstResponseMs: percentile(delays, 50),
  };
}

/** A rep's own numbers in their workspace (Telegram `/stats`), in one round trip. */
export async function repStats({ ctx, workspace }: Scope, repId: string): Promise<RepNumbers> {
  const now = ctx.now();
  const args = { ws: workspace.id, rep: repId, since: now - 8 * DAY_MS };
  const [tz, open, recent, won] = await ctx.database.client.batch(
    [
      { sql: `SELECT timezone FROM workspace WHERE id = :ws`, args: { ws: workspace.id } },
      {
        sql: `SELECT count(*) AS n FROM lead WHERE workspace_id = :ws AND owner_rep_id = :rep
          AND status IN (SELECT value FROM json_each(:open))`,
        args: { ws: workspace.id, rep: repId, open: JSON.stringify(OPEN) },
      },
      {
        sql: `SELECT assigned_at, first_response_at FROM lead
              WHERE workspace_id = :ws AND owner_rep_id = :rep AND (assigned_at >= :since
                OR first_response_at >= :since)`,
        args,
      },
      {
        sql: `SELECT max(e.created_at) AS at FROM lead_event e JOIN lead l ON l.id = e.lead_id
              AND l.workspace_id = e.workspace_id
              WHERE e.workspace_id = :ws AND l.owner_rep_id = :rep AND l.status = 'won' AND e.type = 'status_changed'
                AND json_extract(e.data, '$.to') = 'won' AND e.created_at >= :since
              GROUP BY e.lead_id`,
        args,
      },
    ],
    "read",
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return summarizeRepStats(
    {
      open: Number(open!.rows[0]!.n),
      recent: recent!.rows.map((r) => ({
        assignedAt: num(r.assigned_at),
        firstResponseAt: num(r.first_response_at),
      })),
      wonAt: won!.rows.map((r) => Number(r.at)),
    },
    now,
    String(tz!.rows[0]?.timezone ?? "UTC"),
  );
}
