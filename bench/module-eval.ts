import { dirname } from "node:path";
import { Miniflare } from "miniflare";
import { median } from "./load";
import { reapedChildrenCpuMs } from "./process-cpu";

// The smallest Worker there is: what workerd costs with nothing to parse or evaluate.
const EMPTY_WORKER = "export default { fetch() { return new Response('ok'); } };";

interface Boot {
  wallMs: number;
  /** CPU of the workerd process, counted once it has exited and been reaped; NaN without /proc. */
  cpuMs: number;
}

async function bootAndAnswer(worker: { script: string } | { scriptPath: string; modulesRoot: string }): Promise<Boot> {
  const cpu0 = reapedChildrenCpuMs();
  const t0 = performance.now();
  const mf = new Miniflare({
    ...worker,
    modules: true,
    compatibilityDate: "2026-04-26",
    compatibilityFlags: ["nodejs_compat"],
    durableObjects: { ROTATION: "Rotation" },
  });
  try {
    // An unknown path: answered by the app's router without touching libSQL, so what is left is start-up.
    await (await mf.dispatchFetch("http://localhost/__no_such_route")).arrayBuffer();
  } finally {
    await mf.dispose();
  }
  return { wallMs: performance.now() - t0, cpuMs: reapedChildrenCpuMs() - cpu0 };
}

/**
 * Module evaluation of the built Worker in workerd: boot + first answer of the bundle minus the same for
 * an empty Worker, alternating the two so machine load hits both alike. Bounded by `runs`. Besides the
 * wall time, the workerd process's CPU time for the same difference: the machine's load stretches the
 * first several-fold, the second far less.
 */
export async function measureModuleEvaluation(
  bundlePath: string,
  runs: number,
): Promise<{ medianMs: number; samples: number[]; medianCpuMs: number; cpuSamples: number[] }> {
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const empty = await bootAndAnswer({
      script: EMPTY_WORKER.replace("export default", "export class Rotation {}\nexport default"),
    });
    const full = await bootAndAnswer({ scriptPath: bundlePath, modulesRoot: dirname(bundlePath) });
    samples.push(full.wallMs - empty.wallMs);
    cpuSamples.push(full.cpuMs - empty.cpuMs);
  }
  return { medianMs: median(samples), samples, medianCpuMs: median(cpuSamples), cpuSamples };
}
