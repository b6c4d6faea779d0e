import type { Channel } from "../../workers/channels/channel";
import { repTelegramBot } from "../../workers/domain/channels/rep-bot";
import { telegramInbound } from "./handle-update";
import { registerTelegramOwnerRoutes } from "./owner-routes";
import { leadActionsKeyboard } from "./telegram-actions";
import { registerTelegramHook } from "./telegram-hook";
import { telegramSender } from "./telegram-sender";

/** The Telegram bot channel: prospects write to a bot, reps link their chat and work leads with inline buttons. */
export const telegramChannel: Channel = {
  kind: "telegram",
  hooks: registerTelegramHook,
  ownerRoutes: registerTelegramOwnerRoutes,
  sender: (config) => telegramSender(config.TELEGRAM_API_ROOT),
  inbound: telegramInbound,
  renderActions: (ref) => leadActionsKeyboard(ref.leadId),
  prospect: {
    recipient: `l.telegram_user_id`,
    // The bot of the prospect's latest conversation with this lead, else the workspace's first bot.
    channel: `COALESCE(
      (SELECT c.channel_id FROM telegram_conversation c
       WHERE c.workspace_id = l.workspace_id AND c.lead_id = l.id AND c.chat_id = l.telegram_user_id
       ORDER BY c.updated_at DESC LIMIT 1),
      (SELECT id FROM channel WHERE workspace_id = l.workspace_id AND kind = 'telegram' ORDER BY created_at LIMIT 1))`,
  },
  // A bot may only write to a chat that started it: the rep's own bot (workers/domain/channels/rep-bot.ts).
  rep: { reachable: `r.telegram_chat_id IS NOT NULL`, recipient: `r.telegram_chat_id`, channel: repTelegramBot("r") },
};
