/**
 * SQL for the bot that reaches rep `r` (a rep row alias in scope) in Telegram: the one they started, since
 * a bot may only write to a chat that started it (any other answers 403); else, for a chat linked by the
 * owner API or a removed bot, the workspace's first bot, where rep invites point by default.
 */
export const repTelegramBot = (r: string) => `COALESCE(
  (SELECT id FROM channel
    WHERE id = ${r}.telegram_channel_id AND workspace_id = ${r}.workspace_id AND kind = 'telegram'),
  (SELECT id FROM channel WHERE workspace_id = ${r}.workspace_id AND kind = 'telegram' ORDER BY created_at LIMIT 1))`;
