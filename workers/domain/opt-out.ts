import { AppError } from "../errors";
import type { DomainContext, WorkspaceRef } from "./context";

/**
 * The prospect said STOP / unsubscribed. From now on no auto-reply or follow-up is sent (the outbox
 * skips them, sequences stop at their next step); messages to reps about the lead still go out.
 * The bots call this on STOP; idempotent (the first opt-out time is kept).
 */
export async function optOutLead({ ctx, workspace }: { ctx: DomainContext; workspace: WorkspaceRef }, leadId: string): Promise<number> {
  const now = ctx.now();
  const rs = await ctx.database.client.execute({
    sql: `UPDATE lead SET opted_out_at = COALESCE(opted_out_at, :now), updated_at = :now
          WHERE workspace_id = :ws AND id = :lead RETURNING opted_out_at`,
    args: { now, ws: workspace.id, lead: leadId },
  });
  const row = rs.rows[0];
  if (!row) throw AppError.notFound("Lead");
  return Number(row.opted_out_at);
}
