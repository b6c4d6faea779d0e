import type { DomainContext } from "../domain/context";
import { toAppError } from "../errors";

// The tail of each contact's work in this isolate: a delivery waits for the one before it from the same contact.
const tails = new Map<string, Promise<void>>();

/**
 * A small delivery's work after the 200 (see acceptDelivery), in each contact's order: deliveries that name
 * the same contact (`contacts`, e.g. `whatsapp:<channel>:<wa_id>`) run one after another in the order their
 * webhooks arrived in this isolate; other contacts go side by side. A failure is only logged: the delivery's
 * delayed copy on the queue does the work again, and what this pass stored is not doubled (every effect is
 * keyed by the update or message id). `work` learns whether it waited for an earlier delivery (what was read
 * before then may be out of date).
 */
export function handleAfter(
  ctx: DomainContext,
  delivery: { channelId: string; contacts: string[] },
  work: (waited: boolean) => Promise<unknown>,
): void {
  const before = delivery.contacts.flatMap((c) => tails.get(c) ?? []);
  const run = Promise.all(before)
    .then(() => work(before.length > 0))
    .then(
      () => undefined,
      (err: unknown) => {
        const appErr = toAppError(err);
        console.error(
          JSON.stringify({
            job: "inbound.after",
            channel: delivery.channelId,
            code: appErr.code,
            error: appErr.message,
            retry: "queued copy",
          }),
        );
      },
    );
  for (const c of delivery.contacts) tails.set(c, run);
  // Forgotten once done, unless a later delivery of the contact has queued behind it meanwhile.
  const done = run.then(() => {
    for (const c of delivery.contacts) if (tails.get(c) === run) tails.delete(c);
  });
  ctx.waitUntil?.(done);
}
