import type { ChannelList } from "../channels/channel";
import type { Config } from "../config";
import { emailSender } from "./email-sender";
import type { SenderRegistry } from "./sender";
import { webhookSender } from "./webhook-sender";

/**
 * The registry built from config: every channel's sender, plus email and outgoing webhooks. Email is
 * registered only when an email API is configured: rows for a missing sender stay pending instead of failing.
 */
export function createSenders(config: Config, channels: ChannelList): SenderRegistry {
  const registry: SenderRegistry = {
    webhook: webhookSender({ allowLoopback: config.OUTBOUND_ALLOW_LOOPBACK }),
  };
  for (const channel of channels) registry[channel.kind] = channel.sender(config);
  if (config.EMAIL_API_URL && config.EMAIL_FROM) {
    registry.email = emailSender({ url: config.EMAIL_API_URL, apiKey: config.EMAIL_API_KEY, from: config.EMAIL_FROM });
  }
  return registry;
}
