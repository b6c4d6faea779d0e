/** Runs `total` tasks with at most `concurrency` in flight; returns each task's latency in ms and the wall time. */
export async function runPool(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<boolean>,
  onProgress?: (done: number, failed: number) => void,
): Promise<{ latencies: number[]; failed: number; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    // Bounded: each worker takes indexes until `total` is reached.
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      const ok = await task(i).catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) failed++;
      onProgress?.(latencies.length, failed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { latencies, failed, wallMs: performance.now() - started };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (samples: number[]) => percentile(samples, 50);
