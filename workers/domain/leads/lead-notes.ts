import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import type { Actor, Scope } from "../context";

/**
 * Adds a note to a lead's timeline (a rep's `/note` in Telegram). Unlike the owner's `notes` field, which
 * a PATCH replaces, every note is its own event with its author. `dedupKey` (the Telegram update) makes a
 * redelivered command add nothing. Returns false when the note was already recorded.
 */
export async function addLeadNote(
  { ctx, workspace }: Scope,
  input: { leadId: string; text: string; actor: Actor; dedupKey?: string; via?: string },
): Promise<boolean> {
  const text = input.text.trim().slice(0, 2000);
  if (!text) throw AppError.validation({ text: "A note needs some text." });
  const now = ctx.now();
  const [inserted, found] = await ctx.database.client.batch(
    [
      // A rep may only write on their own workspace's leads (the lead and the rep are both checked here).
      {
        sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key,
              created_at)
              SELECT :id, :ws, l.id, 'note', :actorType, :actorId, :data, :dedup, :now FROM lead l
              WHERE l.workspace_id = :ws AND l.id = :lead
                AND (:actorType <> 'rep' OR EXISTS (SELECT 1 FROM rep WHERE workspace_id = :ws AND id = :actorId))
              ON CONFLICT DO NOTHING`,
        args: {
          id: newId("evt", now),
          ws: workspace.id,
          lead: input.leadId,
          actorType: input.actor.type,
          actorId: input.actor.id ?? null,
          // `notes` is what the lead page shows for a note event.
          data: JSON.stringify({ notes: text, ...(input.via ? { via: input.via } : {}) }),
          dedup: input.dedupKey ?? null,
          now,
        },
      },
      { sql: `SELECT 1 FROM lead WHERE workspace_id = ? AND id = ?`, args: [workspace.id, input.leadId] },
    ],
    "write",
  );
  if (found!.rows.length === 0) throw AppError.notFound("Lead");
  return inserted!.rowsAffected === 1;
}
