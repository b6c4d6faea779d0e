import { readdirSync, readFileSync } from "node:fs";

// /proc/<pid>/stat counts in clock ticks, 100 per second on Linux.
const MS_PER_TICK = 10;

interface ProcStat {
  ppid: number;
  cpuMs: number;
  /** The executable's name (node, workerd, esbuild). */
  name: string;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    // Fields after the parenthesised command name: ppid is the 2nd, utime and stime the 12th and 13th.
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = raw.slice(raw.lastIndexOf(") ") + 2).split(" ");
    const name = raw.slice(raw.indexOf("(") + 1, raw.lastIndexOf(")"));
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK, name };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, ms) of a process; NaN where /proc is missing or the process is gone. */
export function processCpuMs(pid: number): number {
  return readStat(pid)?.cpuMs ?? Number.NaN;
}

/** CPU time (ms) of a process and each of its descendants (wrangler dev → workerd), by pid; empty without /proc. */
export function processTreeCpu(root: number): Map<number, { name: string; cpuMs: number }> {
  const tree = new Map<number, { name: string; cpuMs: number }>();
  let pids: number[];
  try {
    pids = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return tree;
  }
  const stats = new Map<number, ProcStat>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) stats.set(pid, stat);
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  // Bounded by the number of processes: each pid is visited once.
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    const stat = stats.get(queue[i]!);
    if (stat) tree.set(queue[i]!, { name: stat.name, cpuMs: stat.cpuMs });
    queue.push(...(children.get(queue[i]!) ?? []));
  }
  return tree;
}

/** This process's CPU time so far, ms. */
export const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU time of this process's children that have exited and been waited for (cutime + cstime), ms. */
export function reapedChildrenCpuMs(): number {
  try {
    const raw = readFileSync("/proc/self/stat", "utf8");
    const fields = raw.slice(raw.lastIndexOf(") ") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) * MS_PER_TICK;
  } catch {
    return Number.NaN;
  }
}
