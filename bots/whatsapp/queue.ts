import { toAppError } from "../../workers/errors";
import { sendSoon } from "../../workers/outbox/send-now";
import type { WhatsappDeps } from "./context";
import { insertedIds, type QueuedWhatsapp, whatsappOutboxInsert } from "./outbox-reply";

/** Writes replies to the outbox in one round trip and sends them after the response. */
export async function queueWhatsapp(deps: WhatsappDeps, messages: QueuedWhatsapp[]): Promise<void> {
  try {
    const results = await deps.ctx.database.client.batch(
      messages.map((m) => whatsappOutboxInsert(deps, m)),
      "write",
    );
    sendSoon(deps.ctx, insertedIds(results));
  } catch (err) {
    throw toAppError(err);
  }
}
