import { defineConfig } from "vitest/config";

// Two projects: "node" drives host-side pieces (the local libSQL server) from Node,
// "workers" runs the Worker inside workerd through @cloudflare/vitest-pool-workers.
export default defineConfig({
  test: {
    projects: ["test/node/vitest.config.ts", "test/workers/vitest.config.ts"],
  },
});
