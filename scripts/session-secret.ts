import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/**
 * The console's SESSION_SECRET for a local run: generated once into the data folder (readable by this user
 * only) and reused, so sessions survive a restart and no built-in secret ever signs one. Handed to wrangler as
 * an env file rather than `--var`, so it does not show in the process list.
 */
export function localSessionSecretFile(dataDir: string): string {
  const file = resolve(dataDir, "session-secret.env");
  if (!existsSync(file) || !/^SESSION_SECRET=[A-Za-z0-9_-]{32,}$/m.test(readFileSync(file, "utf8"))) {
    writeFileSync(file, `SESSION_SECRET=${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  }
  return file;
}
