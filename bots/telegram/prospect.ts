import type { InStatement } from "@libsql/client/web";
import { Composer } from "grammy";
import type { Message, User } from "grammy/types";
import { type CaptureInput, captureLead } from "../../workers/domain/capture/capture-lead";
import { mergeTelegramLead } from "../../workers/domain/capture/merge-telegram-lead";
import { AppError, toAppError } from "../../workers/errors";
import { normalizePhone } from "../../workers/lib/contact";
import { stmt } from "../../workers/lib/statement";
import { commitAndSend } from "../../workers/outbox/commit-and-send";
import type { BotContext, BotDeps } from "./context";
import {
  advance,
  type Conversation,
  captureSummary,
  conversationAfterCapture,
  conversationReply,
  DONE_TEXT,
  loadProspectState,
  type ProspectState,
  question,
  SHARE_PHONE_BUTTON,
  SKIP,
  saveConversation,
} from "./conversation";
import { type InboundContent, inboundContent } from "./media";
import { readNameAnswer } from "./name-answer";
import { eventKey, outboxInsert, updateKey } from "./outbox-reply";
import { recordProspectMessage } from "./prospect-messages";

// Telegram's own rule for deep-link payloads: up to 64 characters of A-Z a-z 0-9 _ -.
const START_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

const profileName = (u: User) => [u.first_name, u.last_name].filter(Boolean).join(" ").slice(0, 200) || undefined;

type Update = { deps: BotDeps; chatId: string; from: User; updateId: number };

/**
 * Prospect intake, in private chats with anyone who is not a linked rep. The lead is captured at the first
 * contact — `/start [payload]` (source/campaign from the deep link) or a first message — so routing and the
 * rep alert never wait for a questionnaire; a short conversational capture then enriches it: name → what
 * they need → phone (a `request_contact` button), each skippable, each answer through the one
 * `captureLead`. Text typed while a question is open is its answer; after the last one, messages (text,
 * media, edits) are stored on the lead and relayed to its owner rep.
 */
export function prospectComposer() {
  const composer = new Composer<BotContext>();
  const prospect = composer
    .chatType("private")
    .filter((ctx) => ctx.rep === null && ctx.from !== undefined && !ctx.from.is_bot);
  const update = (ctx: BotContext & { chat: { id: number }; from: User }): Update => ({
    deps: ctx.deps,
    chatId: String(ctx.chat.id),
    from: ctx.from,
    updateId: ctx.update.update_id,
  });

  prospect.command("start", async (ctx, next) => {
    const payload = ctx.match.trim();
    // `rep_<code>` deep links belong to the linking composer.
    if (payload.startsWith("rep_")) return next();
    const u = update(ctx);
    const state = await load(u);
    if (state.conversation?.lastUpdateId === u.updateId) return;
    const campaign = START_PAYLOAD.test(payload) ? payload : undefined;
    // A /start (again) begins the questions anew, on the lead as it is now.
    await captureAndAsk(
      u,
      {
        name: profileName(u.from),
        utm: { source: "telegram", ...(campaign ? { campaign } : {}) },
        fields: campaign ? { start: campaign } : {},
      },
      { needKnown: false, last: true },
    );
  });

  prospect.command("skip", async (ctx) => {
    const u = update(ctx);
    const state = await load(u);
    const c = state.conversation;
    if (c?.step && c.lastUpdateId !== u.updateId) await answer(u, state, c, null);
  });

  prospect.on("message:contact", async (ctx) => {
    const u = update(ctx);
    const state = await load(u);
    if (state.conversation?.lastUpdateId === u.updateId) return;
    const contact = ctx.message.contact;
    // Only the sender's own number (the request_contact button sends it with their user_id); a forwarded
    // card of somebody else is not this prospect's phone.
    if (contact.user_id !== u.from.id) {
      await commitAndSend(u.deps.ctx, [
        outboxInsert(u.deps, {
          kind: "bot_reply",
          chatId: u.chatId,
          key: updateKey(u.deps, u.updateId, 0),
          text: "Please use the \u201cShare my phone number\u201d button to send your own number.",
          replyMarkup: { keyboard: [[SHARE_PHONE_BUTTON], [SKIP]], one_time_keyboard: true, resize_keyboard: true },
        }),
      ]);
      return;
    }
    await sharedPhone(u, state, contact.phone_number);
  });

  // Any other text, including commands the bot does not know ("/price", or "/start" typed without Telegram's
  // command entity): the prospect wrote it, so it is stored and relayed like any message, never dropped.
  prospect.on("message:text", async (ctx) => {
    await inbound(update(ctx), ctx.message);
  });

  // Photos, voice notes, documents, stickers, locations, …
  prospect.on("message", async (ctx, next) => {
    if (ctx.message.text !== undefined) return next();
    await inbound(update(ctx), ctx.message);
  });

  prospect.on("edited_message", async (ctx) => {
    const content = inboundContent(ctx.editedMessage);
    if (!content) return;
    const u = update(ctx);
    // An edit of a message from before the lead existed has nothing to attach to; the original made the lead.
    await recordProspectMessage(u.deps, {
      telegramUserId: String(u.from.id),
      chatId: u.chatId,
      updateId: u.updateId,
      messageId: ctx.editedMessage.message_id,
      content,
      edited: true,
    });
  });

  return composer;
}

/** The prospect state the hook read for this very update and chat, else a read of its own. */
function load(u: Update): Promise<ProspectState> {
  const read = u.deps.prospect;
  if (read && read.chatId === u.chatId && read.telegramUserId === String(u.from.id) && read.updateId === u.updateId)
    return Promise.resolve(read.state);
  return loadProspectState(u.deps, u.chatId, String(u.from.id), u.updateId);
}

/** captureLead for this chat's Telegram identity, keyed by the update (a redelivery records nothing new). */
function capture(
  u: Update,
  input: Omit<CaptureInput, "source" | "telegramUserId" | "dedupKey" | "channelId">,
  alsoWrite: InStatement[] = [],
) {
  return captureLead(
    { ctx: u.deps.ctx, workspace: u.deps.workspace, actor: { type: "prospect" }, alsoWrite },
    {
      source: "telegram",
      telegramUserId: String(u.from.id),
      dedupKey: eventKey(u.deps, u.updateId),
      channelId: u.deps.channel.id,
      ...input,
    },
  );
}

/**
 * A first contact's capture with the questions it starts, in one batch: the conversation and its first question
 * ride in the capture's own batch, and the question is sent with the rep alert. `last`: nothing follows in this
 * update, so that batch also records the update handled (saving the hook's round trip for it).
 */
async function captureAndAsk(
  u: Update,
  input: Omit<CaptureInput, "source" | "telegramUserId" | "dedupKey" | "channelId">,
  o: { needKnown: boolean; last: boolean },
) {
  const done = o.last ? u.deps.done : undefined;
  const result = await capture(u, input, [
    ...conversationAfterCapture(u.deps, {
      chatId: u.chatId,
      updateId: u.updateId,
      needKnown: o.needKnown,
      profileName: profileName(u.from),
    }),
    ...(done?.inBatchOf({ workspaceId: u.deps.workspace.id, eventKey: eventKey(u.deps, u.updateId) }) ?? []),
  ]);
  done?.stored();
  return result;
}

/**
 * A text, photo, voice note… from a prospect: the answer to the open question, else a message on their
 * lead (stored and relayed), else their first contact (the message is the inquiry; the questions follow).
 */
async function inbound(u: Update, message: Message) {
  const content = inboundContent(message);
  if (!content) return;
  const state = await load(u);
  const c = state.conversation;
  if (c?.lastUpdateId === u.updateId) return;
  if (c?.step && message.text !== undefined) return answer(u, state, c, message.text);
  // A first contact whose capture committed but whose conversation did not (redelivery) continues as one.
  if (state.lead && state.recorded !== "created") {
    await recordProspectMessage(u.deps, {
      telegramUserId: String(u.from.id),
      chatId: u.chatId,
      updateId: u.updateId,
      messageId: message.message_id,
      content,
      edited: false,
    });
    return;
  }
  await firstContact(u, message, content);
}

async function firstContact(u: Update, message: Message, content: InboundContent) {
  // They said what they need; the questions ask who they are (and the phone).
  await captureAndAsk(
    u,
    { name: profileName(u.from), message: content.text, utm: { source: "telegram" } },
    { needKnown: true, last: !content.media },
  );
  if (content.media) {
    // The alert only describes the photo or voice note; the rep gets the thing itself as a relay.
    await recordProspectMessage(u.deps, {
      telegramUserId: String(u.from.id),
      chatId: u.chatId,
      updateId: u.updateId,
      messageId: message.message_id,
      content,
      edited: false,
      keySuffix: "media",
      firstN: 5,
    });
  }
}

const isSkip = (text: string) => text.trim().toLowerCase() === SKIP.toLowerCase();

/** The prospect's answer to the open question (`null` = /skip). */
async function answer(u: Update, state: ProspectState, c: Conversation, text: string | null) {
  const { deps } = u;
  const step = c.step;
  if (!step) return;
  const extra: InStatement[] = [];
  let hasPhone = state.lead?.phone !== null && state.lead?.phone !== undefined;
  let again: string | null = null;
  let later = c.later;
  const need = (message: string) => {
    extra.push(
      stmt(
        `UPDATE lead SET message = COALESCE(message, :message), updated_at = :now WHERE workspace_id = :ws
          AND id = :lead`,
        {
          message,
          now: deps.ctx.now(),
          ws: deps.workspace.id,
          lead: c.leadId,
        },
      ),
    );
  };
  if (text !== null && !isSkip(text)) {
    const typed = text.trim();
    const said = step === "name" ? readNameAnswer(typed) : null;
    if (said) {
      // One capture per update (its dedup key is the update's): the name, the inquiry, or both.
      await capture(u, {
        ...(said.name ? { name: said.name.slice(0, 200) } : {}),
        ...(said.inquiry ? { message: said.inquiry.slice(0, 5000) } : {}),
      });
    }
    if (said?.inquiry) {
      // A sentence answering "What's your name?" is what they need: kept as the inquiry, the need question
      // is not asked again, and the name is asked again unless the sentence said it ("I'm Sam and …").
      need(said.inquiry.slice(0, 5000));
      later = later.filter((s) => s !== "need");
      if (!said.name) again = "Thanks, noted.";
    }
    if (said?.name) {
      // captureLead fills a missing name only; the name they typed replaces the one Telegram's profile gave
      // (now, or when the chat made the lead), never a name the business or a form entered.
      extra.push(
        stmt(
          `UPDATE lead SET name = :name, updated_at = :now WHERE workspace_id = :ws AND id = :lead
                AND (name IS NULL OR name IS :profile OR name IS (SELECT json_extract(data, '$.name') FROM lead_event
                  WHERE workspace_id = :ws AND lead_id = :lead AND type = 'created'
                    AND json_extract(data, '$.channel') = 'telegram'))`,
          {
            name: said.name.slice(0, 200),
            now: deps.ctx.now(),
            ws: deps.workspace.id,
            lead: c.leadId,
            profile: profileName(u.from) ?? null,
          },
        ),
      );
    } else if (step === "need") {
      await capture(u, { message: typed.slice(0, 5000) });
      need(typed.slice(0, 5000));
    } else if (step === "phone") {
      const phone = normalizePhone(typed, deps.workspace.defaultCountry);
      if (!phone) again = "That does not look like a phone number.";
      else if (await phoneIsFreeFor(deps, phone, c.leadId)) {
        await capture(u, { phone });
        hasPhone = true;
      } else {
        // A typed number that is another lead's is a claim Telegram did not verify: kept on this lead as
        // typed, never used to move this chat onto the other lead (the share button would be).
        await capture(u, { fields: { phone_typed: phone } });
      }
    }
  }
  const next = again ? { step, later } : advance(later, hasPhone);
  const ask = next.step
    ? question(next.step, profileName(u.from))
    : { text: DONE_TEXT, replyMarkup: { remove_keyboard: true } };
  await commitAndSend(u.deps.ctx, [
    ...extra,
    saveConversation(deps, {
      chatId: u.chatId,
      leadId: c.leadId,
      ...next,
      updateId: u.updateId,
      expectedUpdateId: c.lastUpdateId,
    }),
    conversationReply(deps, {
      chatId: u.chatId,
      leadId: c.leadId,
      updateId: u.updateId,
      n: 0,
      ...ask,
      text: again ? `${again} ${ask.text}` : ask.text,
    }),
    ...(next.step ? [] : [captureSummary(deps, { chatId: u.chatId, leadId: c.leadId, updateId: u.updateId, n: 1 })]),
  ]);
}

async function phoneIsFreeFor(deps: BotDeps, phone: string, leadId: string): Promise<boolean> {
  try {
    const rs = await deps.ctx.database.client.execute({
      sql: `SELECT id FROM lead WHERE workspace_id = ? AND phone = ?`,
      args: [deps.workspace.id, phone],
    });
    const owner = rs.rows[0]?.id;
    return owner === undefined || owner === leadId;
  } catch (err) {
    throw toAppError(err);
  }
}

/**
 * Their own number, shared with the button (Telegram vouches it is theirs). Through captureLead like
 * every answer; when the phone is another lead's (their earlier form, say), this chat's lead is merged
 * into that one (see mergeTelegramLead).
 */
async function sharedPhone(u: Update, state: ProspectState, rawPhone: string) {
  const { deps } = u;
  let leadId: string;
  try {
    const { lead } = await capture(u, {
      name: profileName(u.from),
      // Telegram sends the sender's own number in international form, usually without the "+"; read
      // with the workspace's default country it would be taken for a national number.
      phone: /^\d+$/.test(rawPhone) ? `+${rawPhone}` : rawPhone,
    });
    leadId = lead.id;
    if (state.lead && state.lead.id !== lead.id) {
      const merged = await mergeTelegramLead(
        { ctx: deps.ctx, workspace: deps.workspace },
        {
          fromLeadId: state.lead.id,
          into: lead,
          telegramUserId: String(u.from.id),
          dedupKey: eventKey(deps, u.updateId),
        },
      );
      if (!merged) leadId = state.lead.id;
    }
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "VALIDATION_FAILED") throw err;
    await commitAndSend(deps.ctx, [
      outboxInsert(deps, {
        kind: "bot_reply",
        chatId: u.chatId,
        key: updateKey(deps, u.updateId, 0),
        text: "Sorry, we could not read that phone number. You can type it instead.",
      }),
    ]);
    return;
  }
  const c = state.conversation;
  if (!c?.step) {
    await commitAndSend(deps.ctx, [
      outboxInsert(deps, {
        kind: "bot_reply",
        chatId: u.chatId,
        leadId,
        key: updateKey(deps, u.updateId, 0),
        text: "Thanks, we have your number. Someone will be in touch shortly.",
        replyMarkup: { remove_keyboard: true },
      }),
    ]);
    return;
  }
  // The phone question is answered whenever they share it; any other open question stays open.
  const next =
    c.step === "phone" ? advance(c.later, true) : { step: c.step, later: c.later.filter((s) => s !== "phone") };
  const ask = next.step
    ? question(next.step, profileName(u.from))
    : { text: DONE_TEXT, replyMarkup: { remove_keyboard: true } };
  await commitAndSend(u.deps.ctx, [
    saveConversation(deps, {
      chatId: u.chatId,
      leadId,
      ...next,
      updateId: u.updateId,
      expectedUpdateId: c.lastUpdateId,
    }),
    conversationReply(deps, {
      chatId: u.chatId,
      leadId,
      updateId: u.updateId,
      n: 0,
      ...ask,
      text: c.step === "phone" ? ask.text : `Thanks, we have your number. ${ask.text}`,
    }),
    ...(next.step ? [] : [captureSummary(deps, { chatId: u.chatId, leadId, updateId: u.updateId, n: 1 })]),
  ]);
}
