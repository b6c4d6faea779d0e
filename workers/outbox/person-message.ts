import type { InStatement } from "@libsql/client/web";
import type { ChannelList } from "../channels/channel";
import { repMessageStatements } from "./rep-message";

/**
 * A sign-in message (invite link, one-time code) to the chat linked to a person's rep record, in the first app
 * of the list they are reachable on. Nothing is written when the rep has no chat; the caller reads that from
 * the returned ids.
 */
export function personMessageStatements(
  channels: ChannelList,
  m: { ws: string; repId: string; text: string; key: string; now: number },
): InStatement[] {
  return repMessageStatements(channels, {
    ws: m.ws,
    kind: "sign_in",
    leadId: "NULL",
    from: "rep r",
    where: "r.id = :repId",
    payload: "json_object('text', :text)",
    key: m.key,
    now: m.now,
    args: { repId: m.repId, text: m.text },
  });
}
