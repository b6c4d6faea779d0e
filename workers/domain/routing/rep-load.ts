import { and, asc, eq, gte, isNotNull, sql } from "drizzle-orm";
import { lead, rep, workspace as workspaceTable } from "../../../db/schema";
import type { Scope } from "../context";
import { localBoundaries } from "../reports/rep-stats";
import { keptOpenLeads } from "./routing-context";

/** Open leads per rep id, for the reps page (cap usage); reps with none are absent. */
export async function openLeadsByRep({ ctx, workspace }: Scope): Promise<Map<string, number>> {
  const rows = await keptOpenLeads(ctx.database.db, workspace.id).all();
  return new Map(rows.filter((r) => r.n > 0).map((r) => [r.repId, r.n]));
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
  const [reps, kept, counts] = await db.batch([
    db.select().from(rep).where(eq(rep.workspaceId, workspace.id)).orderBy(asc(rep.createdAt)),
    keptOpenLeads(db, workspace.id),
    db
      .select({
        repId: lead.ownerRepId,
        today: sql<number>`sum(${lead.assignedAt} >= ${today})`,
        week: sql<number>`sum(${lead.assignedAt} >= ${week})`,
      })
      .from(lead)
      // Only leads assigned since the earlier boundary count now that open leads are read from the kept row.
      .where(
        and(
          eq(lead.workspaceId, workspace.id),
          isNotNull(lead.ownerRepId),
          gte(lead.assignedAt, Math.min(today, week)),
        ),
      )
      .groupBy(lead.ownerRepId),
  ]);
  const openByRep = new Map(kept.map((k) => [k.repId, k.n]));
  const byRep = new Map(counts.map((c) => [c.repId, c]));
  return reps.map((r) => {
    const c = byRep.get(r.id);
    const open = openByRep.get(r.id) ?? 0;
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
