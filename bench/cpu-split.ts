import { ownCpuMs, processTreeCpuMs } from "./process-cpu";
import type { ResultRow } from "./scenario";

export interface CpuSpent {
  /** wrangler dev and its workerd: the Worker's side. */
  workerMs: number;
  /** The bench process: its HTTP load client, the local libSQL server and the fake APIs. */
  benchMs: number;
}

/** CPU spent by each side since the last take(), so a run can say which side a lead's time went to. */
export function cpuSplit(wranglerPid: number): { take(): CpuSpent } {
  let worker = processTreeCpuMs(wranglerPid);
  let bench = ownCpuMs();
  return {
    take() {
      const [w, b] = [processTreeCpuMs(wranglerPid), ownCpuMs()];
      const spent = { workerMs: w - worker, benchMs: b - bench };
      [worker, bench] = [w, b];
      return spent;
    },
  };
}

const perItem = (ms: number, n: number) => `${((ms * 1000) / n).toFixed(0)} µs`;

export function cpuSplitRow(capture: CpuSpent, raw: CpuSpent, n: number): ResultRow {
  return {
    metric: "CPU per captured lead vs per raw INSERT (Worker side + bench process)",
    value:
      `${perItem(capture.workerMs, n)} + ${perItem(capture.benchMs, n)} vs ` +
      `${perItem(raw.workerMs, n)} + ${perItem(raw.benchMs, n)}`,
    how:
      "CPU time from /proc over each run (capture's includes its 64 warm-up POSTs): wrangler dev with its workerd, " +
      "then the bench process (HTTP load client, libSQL server, fake APIs); on a loaded 2-core machine " +
      "throughput follows the CPU a request needs",
  };
}
