import type { Config } from "../config";
import { AppError } from "../errors";
import { timingSafeEqualText } from "../lib/timing-safe";

export const SESSION_COOKIE = "lr_session";
export const SESSION_TTL_MS = 7 * 24 * 3_600_000;

// Only for a Worker whose database is on this machine (npm start, tests): a deployed Worker must set its own.
const LOCAL_DEV_SECRET = "leadrelay-local-development-session-secret-not-for-production";

function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/** The cookie signing secret, or a BAD_ENVIRONMENT error naming SESSION_SECRET when a deployed Worker lacks it. */
export function sessionSecret(config: Config): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  if (isLocal(config.LIBSQL_URL)) return LOCAL_DEV_SECRET;
  throw new AppError(
    "BAD_ENVIRONMENT",
    "SESSION_SECRET is not set: the dashboard needs it to sign session cookies (wrangler secret put SESSION_SECRET, 32+ characters).",
  );
}

async function hmacHex(secret: string, data: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = await crypto.subtle.sign("HMAC", key, enc.encode(data));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface Session {
  apiKeyId: string;
  expires: number;
}

// "<apiKeyId>.<expires>.<hmac>": the key id is not secret; the cookie is only as good as its signature,
// and the key is looked up again on every request, so revoking the key ends its sessions.
export async function signSession(secret: string, session: Session): Promise<string> {
  const payload = `${session.apiKeyId}.${session.expires}`;
  return `${payload}.${await hmacHex(`session:${secret}`, payload)}`;
}

export async function verifySession(secret: string, value: string | undefined, now: number): Promise<Session | null> {
  const m = value ? /^([A-Za-z0-9_]{1,64})\.(\d{1,16})\.([0-9a-f]{64})$/.exec(value) : null;
  if (!m) return null;
  const expected = await hmacHex(`session:${secret}`, `${m[1]}.${m[2]}`);
  if (!timingSafeEqualText(expected, m[3]!)) return null;
  const expires = Number(m[2]);
  return expires > now ? { apiKeyId: m[1]!, expires } : null;
}
