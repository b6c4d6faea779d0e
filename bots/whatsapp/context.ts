import type { WhatsappChannel } from "../../workers/domain/channels/whatsapp-channels";
import type { DomainContext, WorkspaceRef } from "../../workers/domain/context";

/** What every handler of a WhatsApp webhook gets: the domain context and which number/workspace this is. */
export interface WhatsappDeps {
  ctx: DomainContext;
  channel: WhatsappChannel;
  workspace: WorkspaceRef;
}

/** A rep of the workspace writing from the phone set as their `whatsappPhone`. */
export interface WhatsappRep {
  id: string;
  name: string;
}
