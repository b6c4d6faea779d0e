import { ownCpuMs, processTreeCpu } from "./process-cpu";
import type { ResultRow } from "./scenario";

/** CPU ms spent over one run, per process: wrangler dev's own (node, its two workerd, esbuild) and the bench's. */
export type CpuSpent = { label: string; ms: number }[];

// wrangler dev runs two workerd, its proxy (started first) in front of the Worker's own, and node and esbuild
// processes of its own (the CLI, its bundler). Miniflare alone runs one workerd: the Worker's.
export function processLabels(tree: Map<number, { name: string }>): Map<number, string> {
  let workerds = 0;
  const single = [...tree.values()].filter((p) => p.name === "workerd").length === 1;
  const out = new Map<number, string>();
  for (const pid of [...tree.keys()].sort((a, b) => a - b)) {
    const name = tree.get(pid)!.name;
    if (name === "workerd") out.set(pid, single || workerds++ > 0 ? "workerd (Worker)" : "workerd (proxy)");
    else out.set(pid, `wrangler's ${name}`);
  }
  return out;
}

/** CPU spent by each process since the last take(), so a run can say where a lead's time went. */
export function cpuSplit(wranglerPid: number): { take(): CpuSpent } {
  let tree = processTreeCpu(wranglerPid);
  let bench = ownCpuMs();
  return {
    take() {
      const [now, benchNow] = [processTreeCpu(wranglerPid), ownCpuMs()];
      const names = processLabels(now);
      const byLabel = new Map<string, number>();
      for (const [pid, { cpuMs }] of now) {
        const label = names.get(pid)!;
        byLabel.set(label, (byLabel.get(label) ?? 0) + cpuMs - (tree.get(pid)?.cpuMs ?? 0));
      }
      const spent: CpuSpent = [...byLabel].map(([label, ms]) => ({ label, ms }));
      spent.push({ label: "bench process", ms: benchNow - bench });
      [tree, bench] = [now, benchNow];
      return spent;
    },
  };
}

const perItem = (spent: CpuSpent, n: number) =>
  spent
    .filter((s) => s.ms > 0)
    .map((s) => `${s.label} ${((s.ms * 1000) / n).toFixed(0)} µs`)
    .join(", ");

/** "6120 µs": the CPU a run spent per item, all processes together. */
const totalPerItem = (spent: CpuSpent, n: number) =>
  `${((spent.reduce((a, s) => a + s.ms, 0) * 1000) / n).toFixed(0)} µs`;

/** "6120 µs (workerd (Worker) 3100 µs, …)": the CPU a run spent per item, in all and per process. */
export const cpuPerItem = (spent: CpuSpent, n: number) => `${totalPerItem(spent, n)} (${perItem(spent, n)})`;

export function cpuSplitRow(capture: CpuSpent, raw: CpuSpent, n: number, served = ""): ResultRow {
  return {
    metric: `CPU per captured lead vs per raw INSERT${served ? `, ${served}` : ""}`,
    value: `${totalPerItem(capture, n)} vs ${totalPerItem(raw, n)}`,
    how:
      `CPU time from /proc over each run (capture's includes its 64 warm-up POSTs). Capture: ${perItem(capture, n)}. ` +
      `Raw INSERT: ${perItem(raw, n)}. The bench process holds the HTTP load client, the libSQL server and the ` +
      "fake APIs; on a loaded 2-core machine throughput follows the CPU a request needs",
  };
}
