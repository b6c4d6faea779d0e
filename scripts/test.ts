/**
 * `npm test`: every project, in three vitest processes side by side.
 * The workerd projects run their files one after another against one libSQL server (tests count its requests),
 * which keeps one process on about one core; vitest runs one project group at a time. So the workerd files are
 * split in two halves of about equal time (`--shard` with test/support/balanced-shards.ts), each half in a
 * process with its own libSQL server and fake APIs, and the Node and Chromium projects run in a third
 * (docs/testing.md, "Time"). Each line is prefixed with its lane. `npm test -- <vitest arguments>` (a file,
 * `--project browser`, …) runs one plain `vitest run` with them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const vitest = new URL("../node_modules/vitest/vitest.mjs", import.meta.url).pathname;
const args = process.argv.slice(2);

const WORKERD = ["--project", "workers", "--project", "workers-queue"];
const LANES: Record<string, string[]> = {
  "workerd 1/2": [...WORKERD, "--shard=1/2"],
  "workerd 2/2": [...WORKERD, "--shard=2/2"],
  "node+browser": ["--project", "node", "--project", "browser"],
};
/** Each lane's per-file times, which `npm run test:times` turns into the shards' split (scripts/test-times.ts). */
const TIMES_DIR = ".cache/test-times";
const reports = (lane: string) => [
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${TIMES_DIR}/${laneEnv(lane).LEADRELAY_TEST_LANE}.json`,
];

/** A lane's name for folders (test/support/pool-project.ts keeps a Vite cache per lane) and vitest's colours. */
function laneEnv(lane: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LEADRELAY_TEST_LANE: lane.replace(/[^a-z0-9]+/gi, "-"),
    // Piped output is not a terminal: keep vitest's colours when ours is one.
    ...(process.stdout.isTTY ? { FORCE_COLOR: "1" } : {}),
  };
}

function run(lane: string | null, extra: string[]): Promise<number> {
  const child: ChildProcess = spawn(process.execPath, [vitest, "run", ...extra], {
    stdio: lane === null ? "inherit" : ["ignore", "pipe", "pipe"],
    env: lane === null ? process.env : laneEnv(lane),
  });
  children.push(child);
  if (lane !== null) {
    const tag = `${lane.padEnd(12)} │ `;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      const out = stream === child.stdout ? process.stdout : process.stderr;
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
        out.write(`${tag}${line}\n`),
      );
    }
  }
  return new Promise((resolve) => {
    child.on("error", (err) => {
      console.error(`${lane ?? "vitest"}: ${err.message}`);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const children: ChildProcess[] = [];
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

if (args.length > 0) {
  process.exitCode = await run(null, args);
} else {
  const started = performance.now();
  const names = Object.keys(LANES);
  const codes = await Promise.all(names.map((lane) => run(lane, [...(LANES[lane] ?? []), ...reports(lane)])));
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const failed = names.filter((_, i) => codes[i] !== 0);
  console.log(
    failed.length === 0
      ? `\nnpm test: every lane passed in ${seconds} s`
      : `\nnpm test: failed in ${failed.join(" and ")} (${seconds} s); the lines prefixed with its name say why`,
  );
  process.exitCode = failed.length === 0 ? 0 : 1;
}
