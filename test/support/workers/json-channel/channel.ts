import type { Channel } from "../../../../workers/channels/channel";
import { actionLabel, encodeLeadAction, LEAD_ACTIONS } from "../../../../workers/domain/leads/lead-action-names";
import { registerJsonConnect, registerJsonHook } from "./routes";
import { jsonSender } from "./sender";

/** The workspace's JSON endpoint: where replies and alerts go (the first one connected). */
const FIRST_ENDPOINT = (ws: string) =>
  `(SELECT id FROM channel WHERE workspace_id = ${ws} AND kind = 'json' ORDER BY created_at LIMIT 1)`;

/**
 * A test-only channel, not shipped: a platform that POSTs `{ id, from: { id, email, name }, text | action }`
 * to its webhook and takes `{ to, text, actions }` at the callback URL connected with it. A prospect is their
 * platform id, kept as a `json` identity (lead_identity: found again with no code in captureLead); reps are
 * the workspace's reps with the sender's email, written to by email. It proves a channel touches only its own
 * folder and the channel list (test/support/workers/test-entry.ts).
 */
export const jsonChannel: Channel = {
  kind: "json",
  hooks: registerJsonHook,
  ownerRoutes: registerJsonConnect,
  sender: () => jsonSender(),
  renderActions: (ref) => LEAD_ACTIONS.map((a) => ({ id: encodeLeadAction(a, ref.leadId), label: actionLabel(a) })),
  prospect: {
    recipient: `(SELECT address FROM lead_identity
                 WHERE workspace_id = l.workspace_id AND lead_id = l.id AND kind = 'json' LIMIT 1)`,
    channel: FIRST_ENDPOINT("l.workspace_id"),
  },
  rep: { reachable: "r.email IS NOT NULL", recipient: "r.email", channel: FIRST_ENDPOINT("r.workspace_id") },
};
