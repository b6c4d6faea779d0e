import { inject } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";

/** The test database behind the fault proxy (test/support/fault-proxy.ts). */
export const faultyLibsqlUrl = inject("faultyLibsqlUrl");

export async function setDatabase(mode: "up" | "down" | "drop-response"): Promise<void> {
  const res = await fetch(`${inject("faultControlUrl")}/mode/${mode}`, { method: "POST" });
  if (!res.ok) throw new Error(`fault proxy: ${res.status}`);
}

/** The real app, talking to the database through the fault proxy (SELF keeps the direct URL). */
export function appBehindFaultProxy(vars: Record<string, string> = {}) {
  const parsed = parseConfig({ LIBSQL_URL: faultyLibsqlUrl, ...vars });
  if (!parsed.ok) throw new Error(parsed.issues.join());
  return createApp(parsed.config);
}
