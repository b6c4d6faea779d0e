import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * The console's SESSION_SECRET for a local run, unless the shell or `.dev.vars` sets one: generated once into the
 * data folder (readable by this user only) and reused, so sessions survive a restart and no built-in secret ever
 * signs one.
 */
export function localSessionSecret(dataDir: string, vars: Record<string, string> = {}): Record<string, string> {
  if (vars.SESSION_SECRET) return {};
  const devVars = resolve(".dev.vars");
  if (existsSync(devVars) && /^SESSION_SECRET=.+$/m.test(readFileSync(devVars, "utf8"))) return {};
  const file = resolve(dataDir, "session-secret");
  const stored = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (/^[A-Za-z0-9_-]{32,}$/.test(stored)) return { SESSION_SECRET: stored };
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { SESSION_SECRET: secret };
}
