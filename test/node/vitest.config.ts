import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "node",
    environment: "node",
    include: ["test/node/**/*.test.ts"],
    root: new URL("../..", import.meta.url).pathname,
    testTimeout: 30_000,
  },
});
