import { defineConfig } from "vitest/config";
import { BalancedShards } from "./test/support/balanced-shards.ts";

// Three projects: "node" drives host-side pieces (the local libSQL server) from Node,
// "workers" runs the Worker inside workerd through @cloudflare/vitest-pool-workers,
// "browser" drives the embed snippet and the dashboard in real Chromium against `wrangler dev`.
export default defineConfig({
  test: {
    // `--shard` (npm test's two workerd lanes) splits the files by their time, not by a hash of their paths.
    sequence: { sequencer: BalancedShards },
    projects: [
      "test/node/vitest.config.ts",
      "test/workers/vitest.config.ts",
      "test/workers-queue/vitest.config.ts",
      "test/browser/vitest.config.ts",
    ],
  },
});
