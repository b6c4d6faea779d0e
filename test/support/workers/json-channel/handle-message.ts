import { z } from "zod";
import { captureLead } from "../../../../workers/domain/capture/capture-lead";
import type { ChannelRow } from "../../../../workers/domain/channels/channel-rows";
import type { DomainContext, WorkspaceRef } from "../../../../workers/domain/context";
import { decodeLeadAction } from "../../../../workers/domain/leads/lead-action-names";
import { applyRepLeadAction } from "../../../../workers/domain/leads/lead-actions";
import { getLead } from "../../../../workers/domain/leads/leads";
import { prospectRoute, repReplyStatements } from "../../../../workers/domain/leads/rep-reply";
import { AppError } from "../../../../workers/errors";
import { commitAndSend } from "../../../../workers/outbox/commit-and-send";

/** One delivery: a prospect's message, or a rep's tap (`action`) or reply (`leadId` + `text`). */
export const JsonMessage = z.object({
  id: z.string().min(1).max(100),
  from: z.object({
    id: z.string().min(1).max(100),
    email: z.email().max(254).optional(),
    name: z.string().trim().max(200).optional(),
  }),
  text: z.string().trim().min(1).max(5000).optional(),
  action: z.string().max(100).optional(),
  leadId: z.string().max(64).optional(),
});

interface JsonDeps {
  ctx: DomainContext;
  channel: Pick<ChannelRow<Record<string, unknown>>, "id">;
  workspace: WorkspaceRef;
}

/**
 * The channel's handler, called by its webhook route once the request is authenticated. A sender who is one
 * of the workspace's reps works leads; anyone else is a prospect, captured through `captureLead` (whose dedup
 * by email makes a second message a re-inquiry). Every write is keyed by the delivery id: a redelivery
 * records and sends nothing new.
 */
export async function handleJsonMessage(deps: JsonDeps, m: z.infer<typeof JsonMessage>) {
  const scope = { ctx: deps.ctx, workspace: deps.workspace };
  const key = `json:${deps.channel.id}:${m.id}`;
  const rs = await deps.ctx.database.client.execute({
    sql: `SELECT id FROM rep WHERE workspace_id = ? AND email = ? AND active = 1`,
    args: [deps.workspace.id, m.from.email?.toLowerCase() ?? null],
  });
  const repId = rs.rows[0] ? String(rs.rows[0].id) : null;
  if (!repId) {
    const { lead, recorded } = await captureLead(
      { ...scope, actor: { type: "prospect" } },
      {
        source: "api",
        identities: [{ kind: "json", address: m.from.id }],
        email: m.from.email,
        name: m.from.name,
        message: m.text,
        dedupKey: key,
        channelId: deps.channel.id,
      },
    );
    return { leadId: lead.id, recorded };
  }
  if (m.action) {
    const tap = decodeLeadAction(m.action);
    if (!tap) throw AppError.validation({ action: "Not one of the lead's actions." });
    await applyRepLeadAction(scope, repId, tap.leadId, tap.action);
    return { leadId: tap.leadId, applied: tap.action };
  }
  if (!m.leadId || !m.text) throw AppError.validation({ leadId: "A rep's message names the lead it answers." });
  const { lead } = await getLead(scope, m.leadId);
  if (lead.ownerRepId !== repId) throw new AppError("CONFLICT", "This lead belongs to another rep.");
  const route = await prospectRoute(deps.ctx, deps.workspace.id, lead.id);
  if (!route) throw AppError.validation({ leadId: "The lead cannot be reached in a chat." });
  const { statements } = repReplyStatements({
    workspaceId: deps.workspace.id,
    leadId: lead.id,
    repId,
    route,
    text: m.text,
    key,
    dedupKey: key,
    via: "json",
    replyFrom: { sender: "json", channelId: deps.channel.id, recipient: m.from.email?.toLowerCase() ?? m.from.id },
    now: deps.ctx.now(),
  });
  await commitAndSend(deps.ctx, statements);
  return { leadId: lead.id, replied: true };
}
