const ATTEMPTS = 10;

/**
 * A POST retried as the embed snippet and a webhook sender would: on a network error, 429 or 5xx, up to
 * ATTEMPTS times with a growing pause. `tally` hears each refused attempt ("503 STORAGE_UNAVAILABLE",
 * "network: …"), so a run reports what it went through rather than a bare failure count.
 */
export async function postWithRetry(
  url: string,
  init: { headers: Record<string, string>; body: string },
  tally: (what: string) => void,
): Promise<{ status: number; json: unknown } | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 500 * attempt));
    const res = await fetch(url, { method: "POST", ...init }).catch((err: unknown) => {
      tally(`network: ${err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : err}`);
      return null;
    });
    if (!res) continue;
    const text = await res.text();
    if (res.status < 400) return { status: res.status, json: JSON.parse(text || "null") };
    tally(`${res.status} ${/"code":"(\w+)"/.exec(text)?.[1] ?? ""}`.trim());
    if (res.status !== 429 && res.status < 500) return { status: res.status, json: null };
  }
  return null;
}

/** "503 STORAGE_UNAVAILABLE ×3, network: … ×1", or "none". */
export function tallyText(failures: Map<string, number>): string {
  return [...failures].map(([k, n]) => `${k} ×${n}`).join(", ") || "none";
}
