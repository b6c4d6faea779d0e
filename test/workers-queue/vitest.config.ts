import { workersProject } from "../support/pool-project.ts";

// The Worker exactly as wrangler.toml declares it, inbound queue included: webhooks are queued and consumed.
// The database is reached through the fault proxy, so tests can make the consumer meet a storage failure.
export default workersProject({
  name: "workers-queue",
  include: ["test/workers-queue/**/*.test.ts"],
  groupOrder: 2,
  configPath: "./wrangler.toml",
  viaFaultProxy: true,
});
