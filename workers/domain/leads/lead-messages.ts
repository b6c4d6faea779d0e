import { and, asc, eq, inArray } from "drizzle-orm";
import { type OutboxKind, outbox } from "../../../db/schema";
import type { DomainContext } from "../context";
import type { LeadEvent } from "./leads";

/** What the prospect was sent (not the alerts and relays to reps, which are about the lead, not to it). */
const TO_PROSPECT: OutboxKind[] = ["auto_reply", "follow_up", "rep_reply", "bot_reply"];

/**
 * One message of the conversation with the prospect. `status` of an outbound message: pending (not sent
 * yet or retrying), sent, delivered, read, played (what the platform reported), failed (the platform refused
 * it, or reported it failed), not_sent (skipped on purpose: opted out, window closed, unreachable).
 */
export interface LeadMessage {
  id: string;
  direction: "in" | "out";
  channel: string;
  kind: OutboxKind | "message";
  text: string | null;
  status: string;
  error: string | null;
  at: number;
}

/** The outbound half, read in the same round trip as the lead (see getLead). */
export function outboundMessagesQuery(ctx: DomainContext, workspaceId: string, leadId: string) {
  return ctx.database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.workspaceId, workspaceId), eq(outbox.leadId, leadId), inArray(outbox.kind, TO_PROSPECT)))
    .orderBy(asc(outbox.createdAt), asc(outbox.id));
}

type OutboxRow = typeof outbox.$inferSelect;

function outboundStatus(row: OutboxRow): { status: string; error: string | null } {
  if (row.state === "pending") return { status: "pending", error: row.lastError };
  if (row.state === "skipped") return { status: "not_sent", error: row.lastError };
  if (row.state === "failed" || row.state === "dead") return { status: "failed", error: row.lastError };
  if (row.deliveryStatus === "failed")
    return { status: "failed", error: row.deliveryError ?? "the platform reported it failed" };
  return { status: row.deliveryStatus ?? "sent", error: null };
}

/** The conversation in time order: the prospect's messages from the timeline, ours from the outbox. */
export function leadMessages(source: string, events: LeadEvent[], sent: OutboxRow[]): LeadMessage[] {
  const inbound: LeadMessage[] = events.flatMap((e) => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    // A capture's own message (the first WhatsApp message, a form's message field) is the conversation's start.
    const captured = (e.type === "created" || e.type === "re-inquiry") && typeof data.message === "string";
    if (!(e.type === "message" && data.direction !== "out") && !captured) return [];
    const said = captured ? data.message : data.text;
    const text = typeof said === "string" ? said : null;
    const channel = typeof data.channel === "string" ? data.channel : source;
    return [
      {
        id: e.id,
        direction: "in" as const,
        channel,
        kind: "message" as const,
        text,
        status: "received",
        error: null,
        at: e.createdAt,
      },
    ];
  });
  const outbound: LeadMessage[] = sent.map((row) => ({
    id: row.id,
    direction: "out" as const,
    channel: row.sender,
    kind: row.kind,
    text: typeof row.payload.text === "string" ? row.payload.text : null,
    ...outboundStatus(row),
    at: row.createdAt,
  }));
  return [...inbound, ...outbound].sort((a, b) => a.at - b.at);
}
