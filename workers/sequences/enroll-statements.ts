import type { InStatement } from "@libsql/client/web";

/**
 * Enrols a lead in the active sequences of a pool, starting now. Capture already enrols a new lead in
 * its pool's sequences; this is for a lead moved to another pool later (add it to the batch that moves
 * it). Idempotent per (sequence, lead): a replayed request does not enrol twice.
 */
export function enrollInPoolSequences(f: { ws: string; leadId: string; poolId: string; now: number }): InStatement {
  return {
    sql: `INSERT INTO sequence_enrollment (id, workspace_id, sequence_id, lead_id, next_position, next_due_at, state,
          enrolled_at, updated_at)
          SELECT 'enr_' || substr(:leadId, 6) || '_'
            || substr(s.id, 5), :ws, s.id, :leadId, 1, :now + 60000 * st.delay_minutes, 'active', :now, :now
          FROM sequence s JOIN sequence_step st ON st.sequence_id = s.id AND st.position = 1
          WHERE s.workspace_id = :ws AND s.active = 1 AND s.pool_id = :poolId
            AND EXISTS (SELECT 1 FROM lead WHERE id = :leadId AND workspace_id = :ws)
          ON CONFLICT DO NOTHING`,
    args: { ws: f.ws, leadId: f.leadId, poolId: f.poolId, now: f.now },
  };
}
