// Retry schedule for transient failures: 30 s, 1 min, 2 min, … capped at 1 h; a row is `dead` after
// MAX_ATTEMPTS tries (about 2 hours of trying), so a broken provider does not keep rows alive forever.
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 3_600_000;
export const MAX_ATTEMPTS = 8;

/** When to try again after `attempts` tries; a provider's own `retry_after` is never undercut. */
export function nextAttemptAt(now: number, attempts: number, retryAfterMs?: number): number {
  const backoff = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_MS);
  return now + Math.max(backoff, retryAfterMs ?? 0);
}
