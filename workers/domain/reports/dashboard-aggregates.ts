import { type SQL, sql } from "drizzle-orm";
import { LEAD_SOURCES, LEAD_STATUSES } from "../../../db/schema";
import { zoneMidnight } from "../../lib/zone-time";
import type { DashboardStats, Delays, StatLead } from "./dashboard-stats";

type Db = import("../context").DomainContext["database"]["db"];
type Row = Record<string, unknown>;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The first time a lead got an owner: a later hand-over (SLA, pass, manual) does not move it. */
const FIRST_ASSIGNMENT_EVENT = `(SELECT min(e.created_at) FROM lead_event e WHERE e.lead_id = l.id
  AND e.type IN ('assigned', 'owner_changed', 'reassigned', 'escalated')
  AND COALESCE(json_extract(e.data, '$.repId'), json_extract(e.data, '$.to')) IS NOT NULL)`;
// Leads from before assignments were recorded as events have only assigned_at.
const FIRST_ASSIGNED = sql.raw(`COALESCE(${FIRST_ASSIGNMENT_EVENT}, l.assigned_at)`);

// Statuses that mean nobody is expected to answer: they never count as SLA breaches.
const EXPECTS_ANSWER = sql.raw(`l.status NOT IN ('spam', 'unqualified')`);

/**
 * The day buckets of the range in the workspace zone: every calendar day from `from` to `now`, each with the
 * instant it starts. SQLite knows no time zones, so the boundaries are computed here and matched in SQL.
 */
export function zoneDays(from: number, now: number, timeZone: string): { day: string; start: number }[] {
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const keys = new Set<string>();
  for (let t = from; t <= now; t += 86_400_000) keys.add(fmt.format(t));
  keys.add(fmt.format(now));
  return [...keys].sort().map((day) => ({ day, start: zoneMidnight(day, timeZone) }));
}

/** A CASE mapping created_at to its day bucket's index, newest first; null past the last day's end. */
function dayBucket(days: { start: number }[], end: number): SQL {
  const arms = days
    .map((d, i) => ({ i, start: Math.trunc(d.start) }))
    .reverse()
    .map(({ i, start }) => `WHEN l.created_at >= ${start} THEN ${i}`)
    .join(" ");
  return sql.raw(`CASE WHEN l.created_at >= ${Math.trunc(end)} THEN NULL ${arms} END`);
}

/**
 * Nearest-rank median and p90 of one kind of delay, overall (owner '') or per current owner, ranked by a window
 * function so only the picked values leave the database. Negative delays (clock skew) are left out. One simple
 * window per statement: a single statement ranking every partition at once measured slower.
 */
function delaySql(kind: "sys" | "rep", range: SQL, perOwner: boolean): SQL {
  const values =
    kind === "sys"
      ? sql`SELECT l.owner_rep_id AS owner, ${FIRST_ASSIGNED} - l.created_at AS d FROM lead l WHERE ${range}`
      : sql`SELECT l.owner_rep_id AS owner, l.first_response_at - l.assigned_at AS d FROM lead l
          WHERE ${range} AND l.assigned_at IS NOT NULL AND l.first_response_at IS NOT NULL`;
  const owner = sql.raw(perOwner ? "owner" : "''");
  const partition = sql.raw(perOwner ? "PARTITION BY owner" : "");
  return sql`WITH ranked AS (
      SELECT ${owner} AS owner, d, row_number() OVER (${partition} ORDER BY d) AS rn, count(*) OVER (${partition}) AS n
      FROM (${values}) WHERE d >= 0 ${sql.raw(perOwner ? "AND owner IS NOT NULL" : "")}
    )
    SELECT ${kind} AS kind, owner, max(n) AS n,
      max(CASE WHEN rn = max(1, (50 * n + 99) / 100) THEN d END) AS median,
      max(CASE WHEN rn = max(1, (90 * n + 99) / 100) THEN d END) AS p90
    FROM ranked GROUP BY owner`;
}

/**
 * The overview's numbers computed by libSQL over the range, in one round trip: the same result as
 * buildDashboardStats over every lead of the range (the workerd test compares them), without reading the rows.
 */
export async function aggregateDashboardStats(
  db: Db,
  workspaceId: string,
  reps: { id: string; name: string }[],
  opts: { from: number; now: number; timeZone: string; slaMinutes: number },
): Promise<DashboardStats> {
  const days = zoneDays(opts.from, opts.now, opts.timeZone);
  const lastDay = days[days.length - 1]!.day;
  const nextDay = new Date(Date.parse(`${lastDay}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const end = zoneMidnight(nextDay, opts.timeZone);
  const range = sql`l.workspace_id = ${workspaceId} AND l.created_at >= ${opts.from}`;
  const slaMs = opts.slaMinutes * 60_000;
  const waited = sql`(COALESCE(l.first_response_at, ${opts.now}) - l.created_at)`;

  const [byDay, groups, sysAll, sysOwn, repAll, repOwn, sla, recent] = await db.batch([
    db.all<Row>(sql`SELECT ${dayBucket(days, end)} AS bucket, l.source AS source, count(*) AS n FROM lead l
      WHERE ${range} GROUP BY 1, 2`),
    db.all<Row>(sql`SELECT l.source AS source, l.status AS status, l.owner_rep_id AS owner, count(*) AS n,
        sum(l.first_response_at IS NOT NULL OR l.status NOT IN ('new', 'spam')) AS responded
      FROM lead l WHERE ${range} GROUP BY 1, 2, 3`),
    db.all<Row>(delaySql("sys", range, false)),
    db.all<Row>(delaySql("sys", range, true)),
    db.all<Row>(delaySql("rep", range, false)),
    db.all<Row>(delaySql("rep", range, true)),
    db.all<Row>(sql`SELECT sum(${waited} > ${slaMs}) AS breached,
        sum(${waited} > ${slaMs} AND l.first_response_at IS NULL) AS open,
        sum(l.first_response_at IS NOT NULL OR ${waited} > ${slaMs}) AS measured
      FROM lead l WHERE ${range} AND ${EXPECTS_ANSWER}`),
    db.all<Row>(sql`SELECT l.id, l.name, l.source, l.status, l.owner_rep_id, l.created_at, l.assigned_at,
        ${sql.raw(FIRST_ASSIGNMENT_EVENT)} AS first_assigned_at, l.first_response_at, ${waited} AS waited
      FROM lead l WHERE ${range} AND ${EXPECTS_ANSWER} AND ${waited} > ${slaMs}
      ORDER BY l.created_at DESC, l.id DESC LIMIT 10`),
  ]);

  const dayCounts: Record<string, number>[] = days.map(() => ({}));
  for (const r of byDay) {
    const bucket = num(r.bucket);
    if (bucket === null) continue;
    const counts = dayCounts[bucket]!;
    counts[String(r.source)] = (counts[String(r.source)] ?? 0) + Number(r.n);
  }

  const statuses: Record<string, number> = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0]));
  const bySource = new Map<string, { total: number; won: number }>(LEAD_SOURCES.map((s) => [s, { total: 0, won: 0 }]));
  const perRep = new Map(reps.map((r) => [r.id, { assigned: 0, won: 0 }]));
  let total = 0;
  let responded = 0;
  let qualified = 0;
  for (const g of groups) {
    const n = Number(g.n);
    const status = String(g.status);
    const source = String(g.source);
    total += n;
    responded += Number(g.responded);
    statuses[status] = (statuses[status] ?? 0) + n;
    if (status === "qualified" || status === "won") qualified += n;
    const src = bySource.get(source) ?? { total: 0, won: 0 };
    src.total += n;
    if (status === "won") src.won += n;
    bySource.set(source, src);
    const r = g.owner ? perRep.get(String(g.owner)) : undefined;
    if (r) {
      r.assigned += n;
      if (status === "won") r.won += n;
    }
  }

  const noDelays: Delays = { count: 0, median: null, p90: null };
  const delayOf = new Map<string, Delays>();
  for (const d of [...sysAll, ...sysOwn, ...repAll, ...repOwn]) {
    delayOf.set(`${d.kind}:${d.owner}`, { count: Number(d.n), median: num(d.median), p90: num(d.p90) });
  }
  const delay = (kind: "sys" | "rep", owner: string) => delayOf.get(`${kind}:${owner}`) ?? noDelays;

  const s = sla[0] ?? {};
  return {
    days: days.map((d, i) => ({ day: d.day, bySource: dayCounts[i]! })),
    statuses,
    funnel: [
      { stage: "Captured", count: total },
      { stage: "Responded", count: responded },
      { stage: "Qualified", count: qualified },
      { stage: "Won", count: statuses.won ?? 0 },
    ],
    reps: reps.map((r) => ({
      repId: r.id,
      name: r.name,
      assigned: perRep.get(r.id)?.assigned ?? 0,
      won: perRep.get(r.id)?.won ?? 0,
      systemDelay: delay("sys", r.id),
      repDelay: delay("rep", r.id),
    })),
    systemDelay: delay("sys", ""),
    repDelay: delay("rep", ""),
    sla: {
      minutes: opts.slaMinutes,
      breached: Number(s.breached ?? 0),
      open: Number(s.open ?? 0),
      measured: Number(s.measured ?? 0),
      recent: recent.map((l): StatLead & { waitedMs: number; open: boolean } => ({
        id: String(l.id),
        name: l.name === null ? null : String(l.name),
        source: String(l.source),
        status: String(l.status),
        ownerRepId: l.owner_rep_id === null ? null : String(l.owner_rep_id),
        createdAt: Number(l.created_at),
        assignedAt: num(l.assigned_at),
        firstAssignedAt: num(l.first_assigned_at),
        firstResponseAt: num(l.first_response_at),
        waitedMs: Number(l.waited),
        open: l.first_response_at === null,
      })),
    },
    conversionBySource: [...bySource.entries()].map(([label, v]) => ({ label, ...v })),
    total,
  };
}
