import type { InStatement } from "@libsql/client/web";
import type { Scope } from "../context";
import { leadFromRow } from "../leads/lead-row";
import { OPEN_STATUSES } from "../routing/routing-context";
import { scoreLead } from "./scoring";
import { getScoringRules } from "./scoring-rules";

/** Bounds one call to what a Worker invocation reads and writes comfortably; newest open leads first. */
export const RESCORE_MAX_LEADS = 5_000;
const UPDATES_PER_BATCH = 200;

/**
 * Scores the workspace's open leads again with its current rules (after a rules change): one read, then the
 * updates in batches. "Replied" is a re-inquiry on the timeline, the signal capture uses too.
 */
export async function rescoreOpenLeads({ ctx, workspace }: Scope) {
  const rules = await getScoringRules(ctx, workspace.id);
  const now = ctx.now();
  const { client } = ctx.database;
  const rs = await client.execute({
    sql: `SELECT lead.*, EXISTS (SELECT 1 FROM lead_event e WHERE e.workspace_id = lead.workspace_id
              AND e.lead_id = lead.id
              AND e.type = 're-inquiry') AS replied
          FROM lead WHERE workspace_id = ? AND status IN (${OPEN_STATUSES.map(() => "?").join(", ")})
          ORDER BY created_at DESC LIMIT ?`,
    args: [workspace.id, ...OPEN_STATUSES, RESCORE_MAX_LEADS],
  });
  const updates: InStatement[] = rs.rows.map((row) => {
    const lead = leadFromRow(row);
    const s = scoreLead({ ...lead, replied: Number(row.replied) === 1 }, rules, now);
    return {
      sql: "UPDATE lead SET score = ?, score_reasons = ?, hot = ? WHERE workspace_id = ? AND id = ?",
      args: [s.score, JSON.stringify(s.reasons), s.hot ? 1 : 0, workspace.id, lead.id],
    };
  });
  for (let i = 0; i < updates.length; i += UPDATES_PER_BATCH) {
    await client.batch(updates.slice(i, i + UPDATES_PER_BATCH), "write");
  }
  return { rescored: updates.length, truncated: rs.rows.length >= RESCORE_MAX_LEADS };
}
