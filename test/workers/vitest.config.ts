import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { workersProject } from "../support/pool-project.ts";

const root = new URL("../..", import.meta.url).pathname;

// These tests run the webhooks' inline path (a deployment without the inbound queue): the Worker as
// wrangler.toml declares it, minus the inbound and imports queues' blocks. test/workers-queue runs it with them.
const inline = readFileSync(`${root}wrangler.toml`, "utf8")
  .replace(/^# BEGIN inbound queue[^\n]*\n[\s\S]*?^# END inbound queue\n/m, "")
  // Without the imports queue too: the import tests run chunks themselves and count what each one did.
  .replace(/^# BEGIN imports queue[^\n]*\n[\s\S]*?^# END imports queue\n/m, "")
  // The webhook limit, 3,000 a minute, is lowered to 300 here (rate-limit.security.test.ts): a test must pass
  // 2 × limit deliveries within two of the binding's one-minute windows, which a busy machine cannot promise for
  // 6,000 but can for 600.
  .replace(/(name = "HOOK_RATE_LIMITER"\n[^\n]*\nsimple = \{ limit = )3000,/, "$1300,");
if (inline.includes('"INBOUND"')) throw new Error("wrangler.toml: the inbound queue block lost its BEGIN/END lines");
if (inline.includes('"IMPORTS"')) throw new Error("wrangler.toml: the imports queue block lost its BEGIN/END lines");
if (!inline.includes("limit = 300,")) throw new Error("wrangler.toml: HOOK_RATE_LIMITER is no longer 3000 a minute");
// `npm test` loads this config in two vitest processes at once: write a whole new file and rename it over the old,
// so neither can read a half-written one.
const target = `${root}.wrangler/test/wrangler.inline.toml`;
if (!existsSync(target) || readFileSync(target, "utf8") !== inline) {
  mkdirSync(`${root}.wrangler/test`, { recursive: true });
  writeFileSync(`${target}.${process.pid}`, inline);
  renameSync(`${target}.${process.pid}`, target);
}

export default workersProject({
  name: "workers",
  include: ["test/workers/**/*.test.ts"],
  groupOrder: 1,
  configPath: "./.wrangler/test/wrangler.inline.toml",
});
