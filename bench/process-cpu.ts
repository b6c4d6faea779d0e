import { readdirSync, readFileSync } from "node:fs";

// /proc/<pid>/stat counts in clock ticks, 100 per second on Linux.
const MS_PER_TICK = 10;

interface ProcStat {
  ppid: number;
  cpuMs: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    // Fields after the parenthesised command name: ppid is the 2nd, utime and stime the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system, ms) of a process; NaN where /proc is missing or the process is gone. */
export function processCpuMs(pid: number): number {
  return readStat(pid)?.cpuMs ?? Number.NaN;
}

/** CPU time of a process and all its descendants (wrangler dev → workerd), ms; NaN without /proc. */
export function processTreeCpuMs(root: number): number {
  let pids: number[];
  try {
    pids = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return Number.NaN;
  }
  const stats = new Map<number, ProcStat>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) stats.set(pid, stat);
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let total = 0;
  // Bounded by the number of processes: each pid is visited once.
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    total += stats.get(queue[i]!)?.cpuMs ?? 0;
    queue.push(...(children.get(queue[i]!) ?? []));
  }
  return stats.has(root) ? total : Number.NaN;
}

/** This process's CPU time so far, ms. */
export const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU time of this process's children that have exited and been waited for (cutime + cstime), ms. */
export function reapedChildrenCpuMs(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[13]) + Number(fields[14])) * MS_PER_TICK;
  } catch {
    return Number.NaN;
  }
}
