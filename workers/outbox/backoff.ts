// Retry schedule for transient failures: 30 s, 1 min, 2 min, … capped at 1 h (each with jitter); a row
// is `dead` after MAX_ATTEMPTS tries (about 2 hours of trying), so a broken provider does not keep rows
// alive forever.
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 3_600_000;
export const MAX_ATTEMPTS = 8;

/**
 * When to try again after `attempts` tries. A provider that named a time (429 `retry_after`, WhatsApp
 * throttling) gets exactly that: it knows when it will take the message. Otherwise exponential backoff
 * with "equal jitter" (half fixed, half random), so rows that failed together do not return together.
 */
export function nextAttemptAt(
  now: number,
  attempts: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return now + retryAfterMs;
  const backoff = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
  return now + Math.round(backoff / 2 + (random() * backoff) / 2);
}
