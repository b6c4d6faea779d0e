import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "node",
    environment: "node",
    include: ["test/node/**/*.test.ts"],
    root: new URL("../..", import.meta.url).pathname,
    // Only catches a hang, as in the workerd projects: a busy 2-core machine must not fail a test for being slow.
    testTimeout: 120_000,
  },
});
