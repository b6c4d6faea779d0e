import { setImmediate } from "node:timers/promises";

// libsql-js runs each statement synchronously, so a long batch or sequence would hold the event loop
// from its first statement to its last: a 4,000-statement batch stopped every other stream meanwhile.
const SLICE_MS = 8;

/** Call after each statement of a long run: every few milliseconds it lets other requests have a turn. */
export function timeSlicer(): () => Promise<void> {
  let sliceStart = performance.now();
  return async () => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await setImmediate();
    sliceStart = performance.now();
  };
}
