import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { workersProject } from "../support/pool-project";

const root = new URL("../..", import.meta.url).pathname;

// These tests run the webhooks' inline path (a deployment without the inbound queue): the Worker as
// wrangler.toml declares it, minus the inbound queue's block. test/workers-queue runs it with the queue.
const inline = readFileSync(`${root}wrangler.toml`, "utf8").replace(
  /^# BEGIN inbound queue[^\n]*\n[\s\S]*?^# END inbound queue\n/m,
  "",
);
if (inline.includes('"INBOUND"')) throw new Error("wrangler.toml: the inbound queue block lost its BEGIN/END lines");
mkdirSync(`${root}.wrangler/test`, { recursive: true });
writeFileSync(`${root}.wrangler/test/wrangler.inline.toml`, inline);

export default workersProject({
  name: "workers",
  include: ["test/workers/**/*.test.ts"],
  configPath: "./.wrangler/test/wrangler.inline.toml",
});
