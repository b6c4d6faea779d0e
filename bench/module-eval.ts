import { dirname } from "node:path";
import { Miniflare } from "miniflare";
import { median } from "./load";

// The smallest Worker there is: what workerd costs with nothing to parse or evaluate.
const EMPTY_WORKER = "export default { fetch() { return new Response('ok'); } };";

async function bootAndAnswer(
  worker: { script: string } | { scriptPath: string; modulesRoot: string },
): Promise<number> {
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
    return performance.now() - t0;
  } finally {
    await mf.dispose();
  }
}

/**
 * Module evaluation of the built Worker in workerd: boot + first answer of the bundle minus the same for
 * an empty Worker, alternating the two so machine load hits both alike. Bounded by `runs`.
 */
export async function measureModuleEvaluation(
  bundlePath: string,
  runs: number,
): Promise<{ medianMs: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const empty = await bootAndAnswer({
      script: EMPTY_WORKER.replace("export default", "export class Rotation {}\nexport default"),
    });
    const full = await bootAndAnswer({ scriptPath: bundlePath, modulesRoot: dirname(bundlePath) });
    samples.push(full - empty);
  }
  return { medianMs: median(samples), samples };
}
