import { and, count, eq, inArray, isNotNull } from "drizzle-orm";
import { lead } from "../../db/schema";
import type { DomainContext, WorkspaceRef } from "./context";
import { OPEN_STATUSES } from "./routing-context";

/** Open leads per rep id, for the reps page (cap usage). */
export async function openLeadsByRep({ ctx, workspace }: { ctx: DomainContext; workspace: WorkspaceRef }): Promise<Map<string, number>> {
  const rows = await ctx.database.db
    .select({ repId: lead.ownerRepId, n: count() })
    .from(lead)
    .where(and(eq(lead.workspaceId, workspace.id), isNotNull(lead.ownerRepId), inArray(lead.status, [...OPEN_STATUSES])))
    .groupBy(lead.ownerRepId)
    .all();
  return new Map(rows.map((r) => [r.repId!, r.n]));
}
