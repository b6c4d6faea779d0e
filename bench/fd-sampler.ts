import { readdirSync } from "node:fs";
import { processLabels } from "./cpu-split";
import { processTreeCpu } from "./process-cpu";

/** Open file descriptors of a process (entries of /proc/<pid>/fd); NaN without /proc or once it is gone. */
export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return Number.NaN;
  }
}

export interface FdPeaks {
  /** The most any one workerd held at once: the figure a process's descriptor limit applies to. */
  peak: number;
  /** Each workerd's peak by its label (proxy, Worker). */
  byProcess: { label: string; peak: number }[];
  samples: number;
}

/**
 * Samples the open descriptors of each workerd under `root` (the wrangler dev process) every `everyMs` until
 * stopped. wrangler dev's inspector once made its proxy workerd open a connection to wrangler's node per
 * DevTools event, thousands in a queue drain, until "Too many open files" (bench/README.md); a peak well
 * above the idle count (tens) shows connections piling up again. The tree is walked on every sample, so a
 * workerd restarted meanwhile is counted too.
 */
export function sampleWorkerdFds(root: number, everyMs = 250): { stop(): FdPeaks; readonly peak: number } {
  const peaks = new Map<number, number>();
  let samples = 0;
  let labels = new Map<number, string>();
  const take = () => {
    const tree = processTreeCpu(root);
    labels = processLabels(tree);
    for (const [pid, { name }] of tree) {
      if (name !== "workerd") continue;
      const n = openFds(pid);
      if (n > (peaks.get(pid) ?? 0)) peaks.set(pid, n);
    }
    samples++;
  };
  take();
  const timer = setInterval(take, everyMs);
  const peak = () => Math.max(0, ...peaks.values());
  return {
    get peak() {
      return peak();
    },
    stop() {
      clearInterval(timer);
      take();
      const byProcess = [...peaks].map(([pid, n]) => ({ label: labels.get(pid) ?? `workerd ${pid}`, peak: n }));
      return { peak: peak(), byProcess, samples };
    },
  };
}
