import { toAppError } from "../../workers/errors";
import { sendSoon } from "../../workers/outbox/send-now";
import type { BotDeps } from "./context";
import { insertedIds, type outboxInsert } from "./outbox-reply";

/** Writes the bot's own replies to the outbox in one round trip and sends them after the response. */
export async function queue(deps: BotDeps, statements: ReturnType<typeof outboxInsert>[]): Promise<void> {
  try {
    const results = await deps.ctx.database.client.batch(statements, "write");
    sendSoon(deps.ctx, insertedIds(results));
  } catch (err) {
    throw toAppError(err);
  }
}
