import type { Channel } from "../../workers/channels/channel";
import { windowOpen } from "../../workers/outbox/whatsapp-mode";
import { registerWhatsappChannels } from "../../workers/routes/whatsapp-channels";
import { whatsappInbound } from "./inbound";
import { alertButtons } from "./whatsapp-actions";
import { registerWhatsappHook } from "./whatsapp-hook";
import { whatsappSender } from "./whatsapp-sender";

/** The number a lead's prospect wrote to (`:channelId`) when it is one of the workspace's, else its first. */
const workspaceNumber = (ws: string) => `COALESCE(
  (SELECT id FROM channel WHERE id = :channelId AND workspace_id = ${ws} AND kind = 'whatsapp'),
  (SELECT id FROM channel WHERE workspace_id = ${ws} AND kind = 'whatsapp' ORDER BY created_at LIMIT 1))`;

/** WhatsApp Business numbers (Cloud API): prospects write to a number; reps without Telegram work leads there. */
export const whatsappChannel: Channel = {
  kind: "whatsapp",
  hooks: registerWhatsappHook,
  ownerRoutes: registerWhatsappChannels,
  sender: (config) => whatsappSender(config.WHATSAPP_GRAPH_URL),
  inbound: whatsappInbound,
  renderActions: (ref) => alertButtons(ref.leadId),
  // Free text only within 24 hours of the recipient's last message to the sending number.
  window: {
    lastInbound: `(SELECT w.last_inbound_at FROM whatsapp_window w
                   WHERE w.channel_id = o.channel_id AND w.address = ltrim(o.recipient, '+'))`,
    isOpen: windowOpen,
  },
  prospect: {
    recipient: `COALESCE(l.whatsapp_id, l.whatsapp_user_id)`,
    // The number the prospect last wrote to, else the workspace's first.
    channel: `COALESCE(
      (SELECT w.channel_id FROM whatsapp_window w
       JOIN channel ch ON ch.id = w.channel_id AND ch.workspace_id = l.workspace_id
       WHERE w.address = COALESCE(l.whatsapp_id, l.whatsapp_user_id) ORDER BY w.last_inbound_at DESC LIMIT 1),
      (SELECT id FROM channel WHERE workspace_id = l.workspace_id AND kind = 'whatsapp' ORDER BY created_at LIMIT 1))`,
  },
  // To the rep's E.164 phone without the "+", as Meta writes wa_ids.
  rep: {
    reachable: `r.whatsapp_phone IS NOT NULL`,
    recipient: `substr(r.whatsapp_phone, 2)`,
    channel: workspaceNumber("r.workspace_id"),
  },
};
