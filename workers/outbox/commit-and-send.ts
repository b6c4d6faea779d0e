import type { InStatement, ResultSet } from "@libsql/client/web";
import type { DomainContext } from "../domain/context";
import { insertedIds } from "./outbox-row";
import { sendSoon } from "./send-now";

/**
 * A handler's step in one round trip: its statements as one write batch (atomic), then the outbox rows the
 * batch inserted (the `RETURNING id` of `outboxRowInsert`/`chatReplyInsert`) sent after the response.
 * Every channel's handlers write through this; a storage failure is thrown as it comes and their webhook's
 * error mapping (`toAppError`) answers it with a 5xx. Returns the batch's results, for handlers that read
 * something back from it.
 */
export async function commitAndSend(ctx: DomainContext, statements: InStatement[]): Promise<ResultSet[]> {
  const results = await ctx.database.client.batch(statements, "write");
  sendSoon(ctx, insertedIds(results));
  return results;
}
