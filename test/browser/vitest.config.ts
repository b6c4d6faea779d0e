import { defineProject } from "vitest/config";

// Real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against `wrangler dev` and the
// local libSQL server, both started by the global setup; the snippet is embedded in a plain HTML page.
export default defineProject({
  test: {
    name: "browser",
    environment: "node",
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["test/support/browser/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
