import type { LibsqlServer } from "../db/server";
import type { WranglerDev } from "../scripts/wrangler-dev";
import type { RecordedCall } from "../test/support/fake-apis";
import type { Cleanup } from "./cleanup";
import type { Progress } from "./progress";
import type { BenchWorkspace } from "./seed";

/** One line of the results table. */
export interface ResultRow {
  metric: string;
  value: string;
  how: string;
}

/** The host-side fake Telegram Bot API / email API that the bench's Workers send to. */
export interface FakeApi {
  url: string;
  /** Sees every call on arrival until the returned function is called. */
  listen(fn: (call: RecordedCall) => void): () => void;
}

export interface BenchContext {
  db: LibsqlServer;
  worker: WranglerDev;
  workspace: BenchWorkspace;
  cleanup: Cleanup;
  progress: Progress;
  fake: FakeApi;
  /** Worker vars of the bench stack (TELEGRAM_API_ROOT → the fake), for scenarios that start their own. */
  vars: Record<string, string>;
  /** Lead counts for the cron tick runs (each in a fresh database). */
  cronLeads: number[];
  /** Leads per throughput run and in-flight requests (fixed, so runs compare). */
  leads: number;
  concurrency: number;
}

/**
 * A measurement. New features plug in by adding one to bench/scenarios.ts; until its feature exists a
 * scenario says `pending` and the report shows its row as such.
 */
export interface Scenario {
  id: string;
  title: string;
  /** Why it cannot run yet (e.g. "needs the queue consumer"): the feature it measures has not landed. */
  pending?: string;
  /** What it will measure (shown while pending). */
  plan: string;
  run?(ctx: BenchContext): Promise<ResultRow[]>;
}
