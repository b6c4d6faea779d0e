import { captureLead } from "../capture/capture-lead";
import type { Scope } from "../context";

export interface OnboardingState {
  reps: number;
  /** Active reps with a chat for alerts: a linked Telegram chat or a WhatsApp number. */
  linkedReps: number;
  forms: number;
  channels: number;
  leads: number;
}

/** What a new workspace has set up so far, counted from the rows themselves (one round trip). */
export async function onboardingState({ ctx, workspace }: Scope): Promise<OnboardingState> {
  const rs = await ctx.database.client.execute({
    sql: `SELECT
            (SELECT count(*) FROM rep WHERE workspace_id = :ws AND active = 1) AS reps,
            (SELECT count(*) FROM rep WHERE workspace_id = :ws AND active = 1
               AND (telegram_chat_id IS NOT NULL OR whatsapp_phone IS NOT NULL)) AS linkedReps,
            (SELECT count(*) FROM form WHERE workspace_id = :ws) AS forms,
            (SELECT count(*) FROM channel WHERE workspace_id = :ws) AS channels,
            (SELECT count(*) FROM lead WHERE workspace_id = :ws) AS leads`,
    args: { ws: workspace.id },
  });
  const row: Record<string, unknown> = rs.rows[0] ?? {};
  const n = (k: string) => Number(row[k] ?? 0);
  return {
    reps: n("reps"),
    linkedReps: n("linkedReps"),
    forms: n("forms"),
    channels: n("channels"),
    leads: n("leads"),
  };
}

/**
 * A lead the owner sends to see the desk work end to end: captured like any other (routing, the rep's
 * alert, webhooks), from a reserved example.com address so it is easy to recognise and delete.
 */
export async function sendTestLead({ ctx, workspace }: Scope) {
  const now = ctx.now();
  return captureLead(
    { ctx, workspace, actor: { type: "owner" } },
    {
      source: "api",
      name: "Test lead",
      email: `test-lead-${now.toString(36)}@example.com`,
      message: "A test lead sent from the setup checklist.",
    },
  );
}
