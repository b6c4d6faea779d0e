/**
 * Delivery statuses only move forward: sent < delivered < read < played, and failed above all of them
 * (a message Meta gave up on stays failed). Webhooks arrive out of order and are retried for 36 hours, so
 * a status is applied only when it ranks above the stored one: a late `sent` never overwrites `read`.
 */
export const DELIVERY_STATUS_RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 5 };

export function deliveryRank(status: string | null | undefined): number {
  return (status && DELIVERY_STATUS_RANK[status]) || 0;
}

/** The same rank as an SQL expression over a column. */
export function statusRank(column: string): string {
  return `(CASE ${column} ${Object.entries(DELIVERY_STATUS_RANK)
    .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
    .join(" ")} ELSE 0 END)`;
}
