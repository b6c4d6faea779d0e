import type { App } from "../../workers/http/app";
import { registerChannels } from "../../workers/routes/channels";
import { registerRepTelegramInvite } from "../../workers/routes/rep-telegram-invite";

/** Connecting and listing bots, and a rep's invite link to their bot: registered when the owner app is built. */
export function registerTelegramOwnerRoutes(app: App) {
  registerChannels(app);
  registerRepTelegramInvite(app);
}
