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
    // Only catches a hang: the longest test took 23 s here and 30 s in a clean-clone CI run on a busy machine, and a
    // slower machine must not fail it for that.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // One Node worker for every file (each file still launches its own Chromium and workspace): a fresh worker per
    // file cost a process start and the playwright-core import each time.
    isolate: false,
  },
});
