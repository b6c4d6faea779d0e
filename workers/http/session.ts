import type { Config } from "../config";
import { AppError } from "../errors";
import { timingSafeEqualText } from "../lib/timing-safe";

export const SESSION_COOKIE = "lr_session";

/**
 * The cookie signing secret, or a BAD_ENVIRONMENT error naming SESSION_SECRET. There is no built-in fallback,
 * not even for a local database: `npm start` generates one into its data folder, tests pass their own.
 */
export function sessionSecret(config: Config): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  throw new AppError(
    "BAD_ENVIRONMENT",
    "SESSION_SECRET is not set: the console needs it to sign session cookies " +
      "(wrangler secret put SESSION_SECRET, 32+ random characters; npm start generates one).",
  );
}

async function hmacHex(secret: string, data: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const sig = await crypto.subtle.sign("HMAC", key, enc.encode(data));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// "<random token>.<hmac>": the token names a session row on the server (ending the row ends every copy of the
// cookie); the signature lets a forged cookie be refused without a database read.
export async function signSessionCookie(secret: string, token: string): Promise<string> {
  return `${token}.${await hmacHex(`session:${secret}`, token)}`;
}

/** The session token inside a cookie value whose signature holds, else null. */
export async function verifySessionCookie(secret: string, value: string | undefined): Promise<string | null> {
  const m = value ? /^([A-Za-z0-9]{43})\.([0-9a-f]{64})$/.exec(value) : null;
  if (!m) return null;
  const expected = await hmacHex(`session:${secret}`, m[1]!);
  return timingSafeEqualText(expected, m[2]!) ? m[1]! : null;
}
