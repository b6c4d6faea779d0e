import { env } from "cloudflare:test";
import { inject } from "vitest";
import { parseConfig } from "../../../workers/config";
import { createApp } from "../../../workers/http/create-app";
import { CHANNELS } from "../../../workers/index";

/** The test database behind the fault proxy (test/support/fault-proxy.ts). */
export const faultyLibsqlUrl = inject("faultyLibsqlUrl");

export async function setDatabase(
  mode: "up" | "down" | "drop-response" | "drop-write-response" | "refuse-writes",
): Promise<void> {
  const res = await fetch(`${inject("faultControlUrl")}/mode/${mode}`, { method: "POST" });
  if (!res.ok) throw new Error(`fault proxy: ${res.status}`);
}

/**
 * The real app, talking to the database through the fault proxy (SELF keeps the direct URL), with the
 * test env's bindings (rotation Durable Object, rate limiters).
 */
export function appBehindFaultProxy(vars: Record<string, string> = {}) {
  const parsed = parseConfig({ LIBSQL_URL: faultyLibsqlUrl, ...vars });
  if (!parsed.ok) throw new Error(parsed.issues.join());
  const app = createApp(parsed.config, CHANNELS);
  return { request: (path: string, init: RequestInit = {}) => app.request(path, init, env) };
}
