import type { InStatement, ResultSet } from "@libsql/client/web";
import type { CaptureStep } from "../../db/schema";
import { AppError, toAppError } from "../../workers/errors";
import { newId } from "../../workers/lib/ids";
import { stmt } from "../../workers/lib/statement";
import type { BotDeps } from "./context";
import { eventKey, REP_BOT_SQL, updateKey } from "./outbox-reply";

/** The reply-keyboard button (and `/skip`) that leaves a question unanswered. */
export const SKIP = "Skip";

export interface Conversation {
  leadId: string;
  /** The question the next text answers; null once the capture is over. */
  step: CaptureStep | null;
  later: CaptureStep[];
  lastUpdateId: number;
}

/** What a prospect update is decided on, read in one round trip. */
export interface ProspectState {
  conversation: Conversation | null;
  /** This Telegram user's lead in the workspace, if any. */
  lead: { id: string; name: string | null; phone: string | null } | null;
  /** The type of the lead event this very update recorded already (a redelivery after a partial first try). */
  recorded: string | null;
}

/**
 * The read `ProspectState` is decided on, for private chat `chatId` with Telegram user `telegramUserId` and the
 * update keyed `key`: in the workspace given or, before the hook knows it, the workspace of bot `channelId`.
 */
export function prospectStateStatement(
  of: { workspaceId: string } | { channelId: string },
  p: { channelId: string; chatId: string; telegramUserId: string; key: string },
): InStatement {
  const ws = "workspaceId" in of ? ":ws" : "(SELECT workspace_id FROM channel WHERE id = :ch)";
  return stmt(
    `SELECT c.lead_id AS c_lead, c.step, c.later, c.last_update_id, l.id AS lead_id, l.name, l.phone,
       (SELECT type FROM lead_event WHERE workspace_id = ${ws} AND dedup_key = :key) AS recorded
     FROM (SELECT 1) AS one
     LEFT JOIN telegram_conversation c ON c.workspace_id = ${ws} AND c.channel_id = :ch AND c.chat_id = :chat
     LEFT JOIN lead_identity li ON li.workspace_id = ${ws} AND li.kind = 'telegram' AND li.address = :tg
     LEFT JOIN lead l ON l.id = li.lead_id`,
    {
      ...("workspaceId" in of ? { ws: of.workspaceId } : {}),
      ch: p.channelId,
      chat: p.chatId,
      tg: p.telegramUserId,
      key: p.key,
    },
  );
}

/** `prospectStateStatement`'s answer. */
export function prospectStateOf(rs: ResultSet | undefined): ProspectState {
  const r = rs?.rows[0];
  if (!r) throw new AppError("INTERNAL", "The prospect state read returned no row.");
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    conversation:
      r.c_lead === null
        ? null
        : {
            leadId: String(r.c_lead),
            step: str(r.step) as CaptureStep | null,
            later: JSON.parse(String(r.later)) as CaptureStep[],
            lastUpdateId: Number(r.last_update_id),
          },
    lead: r.lead_id === null ? null : { id: String(r.lead_id), name: str(r.name), phone: str(r.phone) },
    recorded: str(r.recorded),
  };
}

export async function loadProspectState(
  deps: BotDeps,
  chatId: string,
  telegramUserId: string,
  updateId: number,
): Promise<ProspectState> {
  try {
    const rs = await deps.ctx.database.client.execute(
      prospectStateStatement(
        { workspaceId: deps.workspace.id },
        { channelId: deps.channel.id, chatId, telegramUserId, key: eventKey(deps, updateId) },
      ),
    );
    return prospectStateOf(rs);
  } catch (err) {
    throw toAppError(err);
  }
}

/** The questions of a capture, in order; the phone is not asked for when the lead already has one. */
export function captureSteps(opts: { needKnown: boolean; hasPhone: boolean }): CaptureStep[] {
  return ["name", ...(opts.needKnown ? [] : (["need"] as const)), ...(opts.hasPhone ? [] : (["phone"] as const))];
}

/** After answering (or skipping) the current question: the next one, skipping a phone the lead now has. */
export function advance(later: CaptureStep[], hasPhone: boolean): { step: CaptureStep | null; later: CaptureStep[] } {
  const rest = later.filter((s) => !(s === "phone" && hasPhone));
  return { step: rest[0] ?? null, later: rest.slice(1) };
}

const keyboard = (rows: unknown[][], placeholder: string) => ({
  keyboard: rows,
  one_time_keyboard: true,
  resize_keyboard: true,
  input_field_placeholder: placeholder,
});

export const SHARE_PHONE_BUTTON = { text: "Share my phone number", request_contact: true };

/** The question of a step, with its reply keyboard (every question has a Skip button). */
export function question(step: CaptureStep, profileName: string | undefined): { text: string; replyMarkup: unknown } {
  switch (step) {
    case "name":
      return {
        text:
          "A few quick questions so the right person can help you. " +
          `What's your name?${profileName ? ` (Skip keeps \u201c${profileName}\u201d.)` : ""}`,
        replyMarkup: keyboard([[SKIP]], "Your name"),
      };
    case "need":
      return {
        text: "What can we help you with? A sentence or two is perfect.",
        replyMarkup: keyboard([[SKIP]], "What you need"),
      };
    case "phone":
      return {
        text: "Would you like a call back? Share your number with the button below.",
        replyMarkup: keyboard([[SHARE_PHONE_BUTTON], [SKIP]], "Or type your number with its country code"),
      };
  }
}

export const DONE_TEXT =
  "Thank you! Someone from our team will get back to you here shortly. You can keep writing to us in this chat.";

/** The conversation upsert, its row from `select`; with `:expected` set, only over the update last applied. */
const conversationUpsert = (select: string) =>
  `INSERT INTO telegram_conversation (channel_id, chat_id, workspace_id, lead_id, step, later, last_update_id,
     created_at, updated_at)
   ${select}
   ON CONFLICT (channel_id, chat_id) DO UPDATE SET lead_id = excluded.lead_id, step = excluded.step,
     later = excluded.later,
     last_update_id = excluded.last_update_id, updated_at = excluded.updated_at
   WHERE :expected IS NULL OR telegram_conversation.last_update_id = :expected`;

/**
 * Saves where the conversation stands. For a conversation that exists, a compare-and-set on the update
 * last applied: of two updates of one chat handled at once (Telegram may deliver them in parallel), only
 * the first moves the step; the other's answer is still stored on the lead by captureLead.
 */
export function saveConversation(
  deps: BotDeps,
  c: {
    chatId: string;
    leadId: string;
    step: CaptureStep | null;
    later: CaptureStep[];
    updateId: number;
    expectedUpdateId: number | null;
  },
): InStatement {
  const now = deps.ctx.now();
  return stmt(conversationUpsert(`SELECT :ch, :chat, :ws, :lead, :step, :later, :upd, :now, :now WHERE true`), {
    ch: deps.channel.id,
    chat: c.chatId,
    ws: deps.workspace.id,
    lead: c.leadId,
    step: c.step,
    later: JSON.stringify(c.later),
    upd: c.updateId,
    expected: c.expectedUpdateId,
    now,
  });
}

/**
 * The questions a first contact starts, for the batch of its capture (so the lead, its alert, the conversation
 * and its first question are stored together, and the question is claimed with the alert): on the lead the
 * capture recorded this update's inquiry on, new or found, asking for the phone only when that lead has none.
 * Like every write riding in a capture, it acts only once that inquiry holds.
 */
export function conversationAfterCapture(
  deps: BotDeps,
  c: { chatId: string; updateId: number; needKnown: boolean; profileName: string | undefined },
): InStatement[] {
  const [step, ...later] = captureSteps({ needKnown: c.needKnown, hasPhone: false });
  const laterWithPhone = captureSteps({ needKnown: c.needKnown, hasPhone: true }).slice(1);
  const now = deps.ctx.now();
  const captured = { ws: deps.workspace.id, capturedBy: eventKey(deps, c.updateId) };
  return [
    stmt(
      conversationUpsert(
        `SELECT :ch, :chat, :ws, l.id, :step, CASE WHEN l.phone IS NULL THEN :later ELSE :laterWithPhone END, :upd,
           :now, :now
         FROM lead_event e JOIN lead l ON l.id = e.lead_id WHERE e.workspace_id = :ws AND e.dedup_key = :capturedBy`,
      ),
      {
        ...captured,
        ch: deps.channel.id,
        chat: c.chatId,
        step: step!,
        later: JSON.stringify(later),
        laterWithPhone: JSON.stringify(laterWithPhone),
        upd: c.updateId,
        expected: null,
        now,
      },
    ),
    conversationReply(deps, {
      chatId: c.chatId,
      leadId: captured,
      updateId: c.updateId,
      n: 0,
      ...question(step!, c.profileName),
    }),
  ];
}

/**
 * A bot message in the prospect's chat, written only if this update is the one the conversation last
 * applied (so the loser of a race asks nothing, and a redelivery inserts nothing new: same key). `leadId`: the id,
 * or the lead a capture recorded the inquiry `capturedBy` on, in this batch.
 */
export function conversationReply(
  deps: BotDeps,
  c: {
    chatId: string;
    leadId: string | { ws: string; capturedBy: string };
    updateId: number;
    n: number;
    text: string;
    replyMarkup: unknown;
  },
): InStatement {
  const now = deps.ctx.now();
  const lead: { sql: string; args: Record<string, string> } =
    typeof c.leadId === "string"
      ? { sql: ":lead", args: { lead: c.leadId } }
      : {
          sql: "(SELECT lead_id FROM lead_event WHERE workspace_id = :ws AND dedup_key = :capturedBy)",
          args: { capturedBy: c.leadId.capturedBy },
        };
  return {
    sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key,
          state, attempts, due_at, created_at, updated_at)
          SELECT :id, :ws, ${lead.sql}, 'bot_reply', 'telegram', :ch, :chat, :payload, :key, 'pending', 0, :now, :now,
            :now
          WHERE EXISTS (SELECT 1 FROM telegram_conversation WHERE channel_id = :ch AND chat_id = :chat
            AND last_update_id = :upd)
          ON CONFLICT DO NOTHING RETURNING id`,
    args: {
      ...lead.args,
      id: newId("obx", now),
      ws: deps.workspace.id,
      ch: deps.channel.id,
      chat: c.chatId,
      payload: JSON.stringify({ text: c.text, replyMarkup: c.replyMarkup }),
      key: updateKey(deps, c.updateId, c.n),
      upd: c.updateId,
      now,
    },
  };
}

/**
 * When the capture ends: one message to the owner rep with what the prospect told the bot (read from the
 * lead inside the batch, after this update's own changes). It is a relay, not a second alert: the rep
 * can reply to it to answer the prospect.
 */
export function captureSummary(
  deps: BotDeps,
  c: { chatId: string; leadId: string; updateId: number; n: number },
): InStatement {
  const now = deps.ctx.now();
  return {
    sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key,
          state, attempts, due_at, created_at, updated_at)
          SELECT :id, :ws, l.id, 'relay', 'telegram', ${REP_BOT_SQL}, r.telegram_chat_id,
            json_object('text', 'Telegram answers from ' || COALESCE(l.name, 'a prospect') || ' (' || l.id || '):'
              || char(10)
              || 'Needs: ' || COALESCE(l.message, '\u2014') || char(10) || 'Phone: '
                || COALESCE(l.phone, json_extract(l.fields, '$.phone_typed') || ' (typed)', '\u2014')),
            :key, 'pending', 0, :now, :now, :now
          FROM lead l JOIN rep r ON r.id = l.owner_rep_id AND r.workspace_id = l.workspace_id
          WHERE l.workspace_id = :ws AND l.id = :lead AND r.telegram_chat_id IS NOT NULL
            AND EXISTS (SELECT 1 FROM telegram_conversation WHERE channel_id = :ch AND chat_id = :chat
              AND last_update_id = :upd)
          ON CONFLICT DO NOTHING RETURNING id`,
    args: {
      id: newId("obx", now),
      ws: deps.workspace.id,
      lead: c.leadId,
      ch: deps.channel.id,
      chat: c.chatId,
      upd: c.updateId,
      key: updateKey(deps, c.updateId, c.n),
      now,
    },
  };
}
