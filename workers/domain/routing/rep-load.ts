import { and, asc, count, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { lead, rep, workspace as workspaceTable } from "../../../db/schema";
import type { Scope } from "../context";
import { localBoundaries } from "../reports/rep-stats";
import { OPEN_STATUSES } from "./routing-context";

/** Open leads per rep id, for the reps page (cap usage). */
export async function openLeadsByRep({ ctx, workspace }: Scope): Promise<Map<string, number>> {
  const rows = await ctx.database.db
    .select({ repId: lead.ownerRepId, n: count() })
    .from(lead)
    .where(
      and(eq(lead.workspaceId, workspace.id), isNotNull(lead.ownerRepId), inArray(lead.status, [...OPEN_STATUSES])),
    )
    .groupBy(lead.ownerRepId)
    .all();
  return new Map(rows.map((r) => [r.repId!, r.n]));
}

export interface RepLoad {
  repId: string;
  name: string;
  open: number;
  /** leads that came to the rep (and are still theirs) since local midnight / since Monday 00:00 */
  assignedToday: number;
  assignedThisWeek: number;
  maxOpenLeads: number | null;
  atCap: boolean;
}

/** Every rep's load, for the API and the console: open leads, leads assigned today and this week, cap. */
export async function repLoads({ ctx, workspace }: Scope): Promise<RepLoad[]> {
  const now = ctx.now();
  const { db } = ctx.database;
  const ws = await db
    .select({ timezone: workspaceTable.timezone })
    .from(workspaceTable)
    .where(eq(workspaceTable.id, workspace.id))
    .get();
  const { today, week } = localBoundaries(now, ws?.timezone ?? "UTC");
  const [reps, counts] = await db.batch([
    db.select().from(rep).where(eq(rep.workspaceId, workspace.id)).orderBy(asc(rep.createdAt)),
    db
      .select({
        repId: lead.ownerRepId,
        open: sql<number>`sum(${lead.status} IN ('new', 'contacted', 'qualified'))`,
        today: sql<number>`sum(${lead.assignedAt} >= ${today})`,
        week: sql<number>`sum(${lead.assignedAt} >= ${week})`,
      })
      .from(lead)
      .where(and(eq(lead.workspaceId, workspace.id), isNotNull(lead.ownerRepId)))
      .groupBy(lead.ownerRepId),
  ]);
  const byRep = new Map(counts.map((c) => [c.repId, c]));
  return reps.map((r) => {
    const c = byRep.get(r.id);
    const open = Number(c?.open ?? 0);
    return {
      repId: r.id,
      name: r.name,
      open,
      assignedToday: Number(c?.today ?? 0),
      assignedThisWeek: Number(c?.week ?? 0),
      maxOpenLeads: r.maxOpenLeads,
      atCap: r.maxOpenLeads !== null && open >= r.maxOpenLeads,
    };
  });
}
