import { createClient } from "@libsql/client/web";
import type { RecordedCall } from "../test/support/fake-apis";
import { percentile, runPool } from "./load";
import type { BenchContext } from "./scenario";

/** After the last request, how long the messages may still take before the rest count as missing. */
const DRAIN_MS = 30_000;
/** Then a short extra wait, so a late duplicate is seen too. */
const GRACE_MS = 2_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

export interface Arrivals {
  latencies: number[];
  received: number;
  missing: number;
  duplicated: number;
  failed: number;
}

/**
 * Speed to lead, channel-agnostic: sends `total` requests at the bench's concurrency and times each one
 * from sending it to the first call at the fake API that `match` attributes to it (by index). Calls seen
 * twice for one index count as duplicated; indexes never seen after a drain window count as missing.
 */
export async function measureArrivals(
  ctx: BenchContext,
  o: {
    label: string;
    total: number;
    /** Indexes run from here (default 0), so several runs into one workspace never share a lead. */
    first?: number;
    /** Closed loop with this many in flight (default the bench's concurrency); ignored when paced. */
    concurrency?: number;
    /**
     * In the closed loop, a request stays in flight until its arrival at the fake (or the drain window), not only
     * until its answer. A webhook is answered before its lead is handled, so a loop bound by answers bounds nothing:
     * the faster the client, the longer the backlog behind the answers, and the latency measures the client.
     */
    untilArrival?: boolean;
    /**
     * Open loop: one request every 1000/perSecond ms whatever the answers, the way prospects arrive at a desk that
     * is not flooded (a closed loop at 16 in flight measures queueing: latency = in flight / throughput).
     */
    perSecond?: number;
    send(i: number): Promise<boolean>;
    match(call: RecordedCall): number | null;
  },
): Promise<Arrivals> {
  const sentAt = new Map<number, number>();
  const arrivals = new Map<number, number[]>();
  // Closed loop until arrival: the task of each index waiting for its first arrival.
  const waiting = new Map<number, () => void>();
  const stop = ctx.fake.listen((call) => {
    const i = o.match(call);
    if (i === null || !sentAt.has(i)) return;
    arrivals.set(i, [...(arrivals.get(i) ?? []), performance.now()]);
    waiting.get(i)?.();
  });
  let lastSent = 0;
  try {
    const first = o.first ?? 0;
    const untilArrival = o.untilArrival === true && !o.perSecond;
    const task = async (i: number) => {
      const index = first + i;
      // Waiting from before the send: an arrival can come before the answer.
      const arrived = untilArrival ? arrivalOf(index) : null;
      sentAt.set(index, performance.now());
      const ok = await o.send(index).catch(() => false);
      lastSent = performance.now();
      if (ok && arrived) await arrived;
      else waiting.get(index)?.(); // a failed send waits for nothing: its timer goes now
      waiting.delete(index);
      return ok;
    };
    /** Resolves at index's first arrival, or after the drain window (it then counts as missing). */
    const arrivalOf = (index: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_MS);
        waiting.set(index, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    const progress = (done: number) =>
      ctx.progress.update(o.label, `${done}/${o.total} sent, ${arrivals.size} received`);
    const { failed } = o.perSecond
      ? await paced(o.total, o.perSecond, task, progress)
      : await runPool(o.total, o.concurrency ?? ctx.concurrency, task, progress);
    const expected = o.total - failed;
    while (arrivals.size < expected && performance.now() - lastSent < DRAIN_MS) {
      ctx.progress.update(o.label, `waiting: ${arrivals.size}/${expected} received`);
      await sleep(100);
    }
    await sleep(GRACE_MS);
    return {
      latencies: [...arrivals].map(([i, times]) => times[0]! - sentAt.get(i)!),
      received: arrivals.size,
      missing: o.total - failed - arrivals.size,
      duplicated: [...arrivals.values()].filter((t) => t.length > 1).length,
      failed,
    };
  } finally {
    stop();
  }
}

/**
 * How a saturated speed-to-lead row describes its loop (`untilArrival`): `inFlight` prospects at once, each one's
 * next lead sent when its `what` arrived.
 */
export const saturatedLoop = (inFlight: number, what: string) =>
  `closed loop, ${inFlight} in flight each until its ${what} arrived (mostly queueing: in flight / throughput; ` +
  "a webhook is answered before its lead is handled, so a loop bound by the answers would measure the client)";

/** The sizes every speed-to-lead path is measured with, after its saturated run: one at a time, then paced. */
export const SINGLE_LEADS = 100;
export const PACED_LEADS = 200;
export const PACED_RATE = 10;

/**
 * How measureArrivals loads a path: a closed loop (`concurrency`, the bench's by default; `untilArrival`: each
 * request in flight until its arrival) or paced (`perSecond`).
 */
export type ArrivalsLoop = { concurrency?: number; perSecond?: number; untilArrival?: boolean };

/**
 * measureArrivals for one path (how lead i is sent and how its arrival is recognised), run as often as a scenario
 * needs: each run with its label, its count, its first index and its loop.
 */
export function arrivalsOf(
  ctx: BenchContext,
  path: { send(i: number): Promise<boolean>; match(call: RecordedCall): number | null },
) {
  return (label: string, total: number, first: number, loop: ArrivalsLoop) =>
    measureArrivals(ctx, { ...path, label, total, first, ...loop });
}

/** Starts task i at start + i / perSecond (bounded by `total`), without waiting for earlier ones to answer. */
async function paced(
  total: number,
  perSecond: number,
  task: (i: number) => Promise<boolean>,
  onProgress: (done: number) => void,
): Promise<{ failed: number }> {
  const start = performance.now();
  const running: Promise<boolean>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
    running.push(task(i));
    onProgress(i + 1);
  }
  const results = await Promise.all(running);
  return { failed: results.filter((ok) => !ok).length };
}

/** p50 / p90 / p99, or a plain statement when nothing arrived (a matcher out of step with the message, not NaN). */
export function percentiles(latencies: number[]): string {
  if (latencies.length === 0) return "nothing received (see how)";
  return `${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 90))} / ${fmt(percentile(latencies, 99))}`;
}

/** "sent 1000, failed 2": the outbox rows of `kind` in the workspace, by state. */
export async function outboxStates(ctx: BenchContext, workspaceId: string, kind: string): Promise<string> {
  // A fresh client: a long-lived one's socket may have outlived the server's keep-alive during the run.
  const client = createClient({ url: ctx.db.url, intMode: "number" });
  try {
    const states = await client.execute({
      sql: `SELECT state, count(*) AS n FROM outbox WHERE workspace_id = ? AND kind = ? GROUP BY state`,
      args: [workspaceId, kind],
    });
    return states.rows.map((r) => `${r.state} ${r.n}`).join(", ") || "none";
  } finally {
    client.close();
  }
}

/** How many outbox rows of `kind` in the workspace are sent. */
export async function sentOfKind(ctx: BenchContext, workspaceId: string, kind: string): Promise<number> {
  const client = createClient({ url: ctx.db.url, intMode: "number" });
  try {
    const rs = await client.execute({
      sql: `SELECT count(*) AS n FROM outbox WHERE workspace_id = ? AND kind = ? AND state = 'sent'`,
      args: [workspaceId, kind],
    });
    return Number(rs.rows[0]!.n);
  } finally {
    client.close();
  }
}
