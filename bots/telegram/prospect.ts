import { Composer } from "grammy";
import type { User } from "grammy/types";
import { captureLead } from "../../workers/domain/capture-lead";
import { AppError, toAppError } from "../../workers/errors";
import { newId } from "../../workers/lib/ids";
import { sendSoon } from "../../workers/outbox/send-now";
import type { BotContext, BotDeps } from "./context";
import { insertedIds, outboxInsert, updateKey } from "./outbox-reply";
import { queue } from "./queue";

// Telegram's own rule for deep-link payloads: up to 64 characters of A-Z a-z 0-9 _ -.
const START_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

const SHARE_PHONE = {
  keyboard: [[{ text: "Share my phone number", request_contact: true }]],
  one_time_keyboard: true,
  resize_keyboard: true,
  input_field_placeholder: "Or just type your question",
};

const profileName = (u: User) => [u.first_name, u.last_name].filter(Boolean).join(" ").slice(0, 200) || undefined;

/**
 * Prospect intake, private chats with anyone who is not a linked rep: `/start [payload]` captures the lead
 * (source/campaign from the deep link), a shared contact adds the phone, any later text is stored on the
 * lead and relayed to its owner. Each step calls the one `captureLead`, deduplicated by the update id.
 */
export function prospectComposer() {
  const composer = new Composer<BotContext>();
  const prospect = composer.chatType("private").filter((ctx) => ctx.rep === null && ctx.from !== undefined && !ctx.from.is_bot);

  prospect.command("start", async (ctx, next) => {
    const payload = ctx.match.trim();
    // `rep_<code>` deep links belong to the linking composer.
    if (payload.startsWith("rep_")) return next();
    const { deps } = ctx;
    const campaign = START_PAYLOAD.test(payload) ? payload : undefined;
    const { lead } = await captureLead(
      { ctx: deps.ctx, workspace: deps.workspace, actor: { type: "prospect" } },
      {
        source: "telegram",
        telegramUserId: String(ctx.from.id),
        name: profileName(ctx.from),
        utm: { source: "telegram", ...(campaign ? { campaign } : {}) },
        fields: campaign ? { start: campaign } : {},
        dedupKey: `tg:${ctx.update.update_id}`,
      },
    );
    await queue(deps, [
      outboxInsert(deps, {
        kind: "bot_reply",
        chatId: ctx.chat.id,
        leadId: lead.id,
        key: updateKey(deps, ctx.update.update_id, 0),
        text: "Thanks for reaching out! Tell us what you need, and share your phone number if you'd like a call back.",
        replyMarkup: SHARE_PHONE,
      }),
    ]);
  });

  prospect.on("message:contact", async (ctx) => {
    const { deps } = ctx;
    const contact = ctx.message.contact;
    // Only the sender's own number (the request_contact button sends it with their user_id); a forwarded
    // card of somebody else is not this prospect's phone.
    if (contact.user_id !== ctx.from.id) {
      await queue(deps, [
        outboxInsert(deps, {
          kind: "bot_reply",
          chatId: ctx.chat.id,
          key: updateKey(deps, ctx.update.update_id, 0),
          text: "Please use the \u201cShare my phone number\u201d button to send your own number.",
          replyMarkup: SHARE_PHONE,
        }),
      ]);
      return;
    }
    let text = "Thanks, we have your number. Someone will be in touch shortly.";
    let leadId: string | null = null;
    try {
      const { lead } = await captureLead(
        { ctx: deps.ctx, workspace: deps.workspace, actor: { type: "prospect" } },
        {
          source: "telegram",
          telegramUserId: String(ctx.from.id),
          name: profileName(ctx.from),
          // Telegram sends the sender's own number in international form, usually without the "+"; read
          // with the workspace's default country it would be taken for a national number.
          phone: /^\d+$/.test(contact.phone_number) ? `+${contact.phone_number}` : contact.phone_number,
          dedupKey: `tg:${ctx.update.update_id}`,
        },
      );
      leadId = lead.id;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "VALIDATION_FAILED") throw err;
      text = "Sorry, we could not read that phone number. You can type it instead.";
    }
    await queue(deps, [
      outboxInsert(deps, {
        kind: "bot_reply",
        chatId: ctx.chat.id,
        leadId,
        key: updateKey(deps, ctx.update.update_id, 0),
        text,
        replyMarkup: { remove_keyboard: true },
      }),
    ]);
  });

  prospect.on("message:text", async (ctx, next) => {
    if (ctx.message.text.startsWith("/")) return next();
    const { deps } = ctx;
    const recorded = await recordMessage(deps, {
      telegramUserId: String(ctx.from.id),
      updateId: ctx.update.update_id,
      text: ctx.message.text,
    });
    if (recorded) return;
    // First contact without /start: the message itself is the inquiry.
    await captureLead(
      { ctx: deps.ctx, workspace: deps.workspace, actor: { type: "prospect" } },
      {
        source: "telegram",
        telegramUserId: String(ctx.from.id),
        name: profileName(ctx.from),
        message: ctx.message.text.slice(0, 5000),
        utm: { source: "telegram" },
        dedupKey: `tg:${ctx.update.update_id}`,
      },
    );
  });

  return composer;
}

/**
 * A known prospect's message: a `message` event on the lead, `last_inbound_at`, and a relay to the owner
 * rep's chat, in one batch. Returns false when this Telegram user has no lead yet.
 */
async function recordMessage(deps: BotDeps, m: { telegramUserId: string; updateId: number; text: string }): Promise<boolean> {
  const now = deps.ctx.now();
  const args = {
    ws: deps.workspace.id,
    tg: m.telegramUserId,
    now,
    eventId: newId("evt", now),
    obxId: newId("obx", now),
    dedupKey: `tg:${m.updateId}`,
    relayKey: updateKey(deps, m.updateId, 0),
    channelId: deps.channel.id,
    data: JSON.stringify({ channel: "telegram", text: m.text.slice(0, 5000) }),
    text: m.text.slice(0, 3500),
  };
  const lead = `(SELECT id FROM lead WHERE workspace_id = :ws AND telegram_user_id = :tg)`;
  try {
    const results = await deps.ctx.database.client.batch(
      [
        {
          sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
                SELECT :eventId, :ws, l.id, 'message', 'prospect', NULL, :data, :dedupKey, :now FROM lead l WHERE l.id = ${lead}
                ON CONFLICT DO NOTHING`,
          args: { ws: args.ws, tg: args.tg, eventId: args.eventId, data: args.data, dedupKey: args.dedupKey, now },
        },
        {
          sql: `UPDATE lead SET last_inbound_at = :now, updated_at = :now WHERE id = ${lead}`,
          args: { ws: args.ws, tg: args.tg, now },
        },
        // The relay reaches the owner only if they linked Telegram; the outbox key makes a replay a no-op.
        {
          sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key, state, attempts, due_at, created_at, updated_at)
                SELECT :obxId, :ws, l.id, 'relay', 'telegram', :channelId, r.telegram_chat_id,
                  json_object('text', 'Message from ' || COALESCE(l.name, 'a prospect') || ' (' || l.id || '):' || char(10) || :text),
                  :relayKey, 'pending', 0, :now, :now, :now
                FROM lead l JOIN rep r ON r.id = l.owner_rep_id
                WHERE l.id = ${lead} AND r.telegram_chat_id IS NOT NULL
                ON CONFLICT DO NOTHING RETURNING id`,
          args: { ws: args.ws, tg: args.tg, obxId: args.obxId, channelId: args.channelId, text: args.text, relayKey: args.relayKey, now },
        },
        { sql: `SELECT ${lead} AS id`, args: { ws: args.ws, tg: args.tg } },
      ],
      "write",
    );
    sendSoon(deps.ctx, insertedIds(results.slice(2, 3)));
    return results[3]?.rows[0]?.id !== null && results[3]?.rows[0]?.id !== undefined;
  } catch (err) {
    throw toAppError(err);
  }
}
