import { asc, eq } from "drizzle-orm";
import { LEAD_SOURCES, LEAD_STATUSES, rep, workspace } from "../../../db/schema";
import { zoneDay, zoneMidnight } from "../../lib/zone-time";
import type { Scope } from "../context";
import { aggregateDashboardStats } from "./dashboard-aggregates";

/** The lead columns the charts need; everything else stays in the database. */
export interface StatLead {
  id: string;
  name: string | null;
  source: string;
  status: string;
  ownerRepId: string | null;
  createdAt: number;
  assignedAt: number | null;
  /** The first time the lead got an owner; a later hand-over (SLA, pass, manual) does not move it. */
  firstAssignedAt?: number | null;
  firstResponseAt: number | null;
}

export interface Delays {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface RepStats {
  repId: string;
  name: string;
  assigned: number;
  won: number;
  systemDelay: Delays;
  repDelay: Delays;
}

export interface DashboardStats {
  days: { day: string; bySource: Record<string, number> }[];
  statuses: Record<string, number>;
  funnel: { stage: string; count: number }[];
  reps: RepStats[];
  systemDelay: Delays;
  repDelay: Delays;
  sla: {
    minutes: number;
    breached: number;
    open: number;
    measured: number;
    recent: (StatLead & { waitedMs: number; open: boolean })[];
  };
  conversionBySource: { label: string; total: number; won: number }[];
  total: number;
}

/** Nearest-rank percentile of already sorted values: an actual observed delay, never an interpolation. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function delays(values: number[]): Delays {
  const sorted = values.filter((v) => v >= 0).sort((a, b) => a - b);
  return { count: sorted.length, median: percentile(sorted, 50), p90: percentile(sorted, 90) };
}

const dayFormat = (timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });

// Statuses that mean nobody is expected to answer: they never count as SLA breaches.
const NO_RESPONSE_EXPECTED = new Set(["spam", "unqualified"]);

/**
 * Everything the overview charts show, from one list of leads (pure, unit-tested). Speed to lead is split:
 * system delay = created → first assigned (routing), rep delay = assigned → first response (the human).
 */
export function buildDashboardStats(
  leads: StatLead[],
  reps: { id: string; name: string }[],
  opts: { from: number; now: number; timeZone: string; slaMinutes: number },
): DashboardStats {
  const fmt = dayFormat(opts.timeZone);
  const days = new Map<string, Record<string, number>>();
  // Every day of the range appears, even without leads, so gaps are visible.
  for (let t = opts.from; t <= opts.now; t += 86_400_000) days.set(fmt.format(t), {});
  days.set(fmt.format(opts.now), days.get(fmt.format(opts.now)) ?? {});

  const statuses: Record<string, number> = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0]));
  const bySource = new Map<string, { total: number; won: number }>(LEAD_SOURCES.map((s) => [s, { total: 0, won: 0 }]));
  const perRep = new Map(
    reps.map((r) => [r.id, { name: r.name, assigned: 0, won: 0, sys: [] as number[], rep: [] as number[] }]),
  );
  const sys: number[] = [];
  const human: number[] = [];
  const slaMs = opts.slaMinutes * 60_000;
  const breaches: DashboardStats["sla"]["recent"] = [];
  let measured = 0;
  let responded = 0;
  let qualified = 0;

  for (const l of leads) {
    const day = days.get(fmt.format(l.createdAt));
    if (day) day[l.source] = (day[l.source] ?? 0) + 1;
    statuses[l.status] = (statuses[l.status] ?? 0) + 1;
    const src = bySource.get(l.source) ?? { total: 0, won: 0 };
    src.total++;
    if (l.status === "won") src.won++;
    bySource.set(l.source, src);
    if (l.firstResponseAt !== null || !["new", "spam"].includes(l.status)) responded++;
    if (l.status === "qualified" || l.status === "won") qualified++;

    const r = l.ownerRepId ? perRep.get(l.ownerRepId) : undefined;
    if (r) {
      r.assigned++;
      if (l.status === "won") r.won++;
    }
    const firstAssigned = l.firstAssignedAt ?? l.assignedAt;
    if (firstAssigned !== null) {
      sys.push(firstAssigned - l.createdAt);
      r?.sys.push(firstAssigned - l.createdAt);
    }
    if (l.assignedAt !== null) {
      if (l.firstResponseAt !== null) {
        human.push(l.firstResponseAt - l.assignedAt);
        r?.rep.push(l.firstResponseAt - l.assignedAt);
      }
    }
    if (!NO_RESPONSE_EXPECTED.has(l.status)) {
      const waited = (l.firstResponseAt ?? opts.now) - l.createdAt;
      const open = l.firstResponseAt === null;
      if (!open || waited > slaMs) measured++;
      if (waited > slaMs) breaches.push({ ...l, waitedMs: waited, open });
    }
  }

  breaches.sort((a, b) => b.createdAt - a.createdAt);
  return {
    days: [...days.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, counts]) => ({ day, bySource: counts })),
    statuses,
    funnel: [
      { stage: "Captured", count: leads.length },
      { stage: "Responded", count: responded },
      { stage: "Qualified", count: qualified },
      { stage: "Won", count: statuses.won ?? 0 },
    ],
    reps: [...perRep.entries()].map(([repId, r]) => ({
      repId,
      name: r.name,
      assigned: r.assigned,
      won: r.won,
      systemDelay: delays(r.sys),
      repDelay: delays(r.rep),
    })),
    systemDelay: delays(sys),
    repDelay: delays(human),
    sla: {
      minutes: opts.slaMinutes,
      breached: breaches.length,
      open: breaches.filter((b) => b.open).length,
      measured,
      recent: breaches.slice(0, 10),
    },
    conversionBySource: [...bySource.entries()].map(([label, v]) => ({ label, ...v })),
    total: leads.length,
  };
}

/** Loads the reps and the workspace time zone, then has libSQL aggregate the range (no lead rows are read). */
export async function loadDashboardStats({ ctx, workspace: ws }: Scope, opts: { days: number; slaMinutes: number }) {
  const { db } = ctx.database;
  const now = ctx.now();
  const [reps, wsRows] = await db.batch([
    db.select({ id: rep.id, name: rep.name }).from(rep).where(eq(rep.workspaceId, ws.id)).orderBy(asc(rep.createdAt)),
    db.select({ timezone: workspace.timezone }).from(workspace).where(eq(workspace.id, ws.id)),
  ]);
  const timeZone = wsRows[0]?.timezone ?? "UTC";
  // N whole calendar days of the workspace's zone, today included.
  const from = zoneMidnight(zoneDay(now - (opts.days - 1) * 86_400_000, timeZone), timeZone);
  const stats = await aggregateDashboardStats(db, ws.id, reps, { from, now, timeZone, slaMinutes: opts.slaMinutes });
  return { stats, timeZone };
}
