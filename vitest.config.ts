import { defineConfig } from "vitest/config";

// Three projects: "node" drives host-side pieces (the local libSQL server) from Node,
// "workers" runs the Worker inside workerd through @cloudflare/vitest-pool-workers,
// "browser" drives the embed snippet and the dashboard in real Chromium against `wrangler dev`.
export default defineConfig({
  test: {
    projects: [
      "test/node/vitest.config.ts",
      "test/workers/vitest.config.ts",
      "test/workers-queue/vitest.config.ts",
      "test/browser/vitest.config.ts",
    ],
  },
});
