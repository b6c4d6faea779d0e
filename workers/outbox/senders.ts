import type { Config } from "../config";
import { emailSender } from "./email-sender";
import type { SenderRegistry } from "./sender";
import { telegramSender } from "./telegram-sender";
import { webhookSender } from "./webhook-sender";

/**
 * The registry built from config. Email is registered only when an email API is configured, WhatsApp
 * when its issue adds the Cloud API sender: rows for a missing sender stay pending instead of failing.
 */
export function createSenders(config: Config): SenderRegistry {
  const registry: SenderRegistry = {
    telegram: telegramSender(config.TELEGRAM_API_ROOT),
    webhook: webhookSender(),
  };
  if (config.EMAIL_API_URL && config.EMAIL_FROM) {
    registry.email = emailSender({ url: config.EMAIL_API_URL, apiKey: config.EMAIL_API_KEY, from: config.EMAIL_FROM });
  }
  // WhatsApp: registry.whatsapp = whatsappSender(config.WHATSAPP_GRAPH_URL) comes with the WhatsApp issue.
  return registry;
}
