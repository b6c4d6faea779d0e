import { resolve } from "node:path";

/** Keeps wrangler offline and its config/logs inside the project (see docs/testing.md). */
export function offlineWranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    XDG_CONFIG_HOME: resolve(".config"),
  };
}
