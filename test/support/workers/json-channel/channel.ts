import type { Channel } from "../../../../workers/channels/channel";
import { actionLabel, encodeLeadAction, LEAD_ACTIONS } from "../../../../workers/domain/leads/lead-action-names";
import { registerJsonRoutes } from "./routes";
import { jsonSender } from "./sender";

/** The workspace's JSON endpoint: where replies and alerts go (the first one connected). */
const FIRST_ENDPOINT = (ws: string) =>
  `(SELECT id FROM channel WHERE workspace_id = ${ws} AND kind = 'json' ORDER BY created_at LIMIT 1)`;

/**
 * A test-only channel, not shipped: a platform that POSTs `{ id, from: { email, name }, text | action }` to
 * its webhook and takes `{ to, text, actions }` at the callback URL connected with it. Its people are
 * addressed by email, so prospects are found again by email (captureLead's own dedup) and reps are the
 * workspace's reps with that email. It proves a channel touches only its own folder and the channel list
 * (test/support/workers/test-entry.ts).
 */
export const jsonChannel: Channel = {
  kind: "json",
  routes: registerJsonRoutes,
  sender: () => jsonSender(),
  renderActions: (ref) => LEAD_ACTIONS.map((a) => ({ id: encodeLeadAction(a, ref.leadId), label: actionLabel(a) })),
  prospect: { recipient: "l.email", channel: FIRST_ENDPOINT("l.workspace_id") },
  rep: { reachable: "r.email IS NOT NULL", recipient: "r.email", channel: FIRST_ENDPOINT("r.workspace_id") },
};
