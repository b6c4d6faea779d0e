import type { Config } from "../config";
import { emailSender } from "./email-sender";
import type { SenderRegistry } from "./sender";
import { telegramSender } from "./telegram-sender";
import { webhookSender } from "./webhook-sender";
import { whatsappSender } from "./whatsapp-sender";

/**
 * The registry built from config. Email is registered only when an email API is configured: rows for a
 * missing sender stay pending instead of failing. WhatsApp rows carry their number's credentials.
 */
export function createSenders(config: Config): SenderRegistry {
  const registry: SenderRegistry = {
    telegram: telegramSender(config.TELEGRAM_API_ROOT),
    webhook: webhookSender({ allowLoopback: config.OUTBOUND_ALLOW_LOOPBACK }),
    whatsapp: whatsappSender(config.WHATSAPP_GRAPH_URL),
  };
  if (config.EMAIL_API_URL && config.EMAIL_FROM) {
    registry.email = emailSender({ url: config.EMAIL_API_URL, apiKey: config.EMAIL_API_KEY, from: config.EMAIL_FROM });
  }
  return registry;
}
