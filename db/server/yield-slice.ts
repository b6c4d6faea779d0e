import { setImmediate } from "node:timers/promises";

// libsql-js runs each statement synchronously, so a long batch or sequence would hold the event loop
// from its first statement to its last: a 4,000-statement batch stopped every other stream meanwhile.
const SLICE_MS = 8;

/**
 * Call after each statement of a long run: every few milliseconds it lets other requests have a turn.
 * Never inside a transaction: the connection would keep its write lock across the pause, and under a
 * burst of captures every small batch then held the lock for several event-loop turns while the other
 * writers waited on it until SQLITE_BUSY. (A pause every 100 ms there still did that under load.)
 */
export function timeSlicer(): (inTransaction: boolean) => Promise<void> {
  let sliceStart = performance.now();
  return async (inTransaction) => {
    if (inTransaction || performance.now() - sliceStart < SLICE_MS) return;
    await setImmediate();
    sliceStart = performance.now();
  };
}
