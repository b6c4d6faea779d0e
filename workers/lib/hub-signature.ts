import { timingSafeEqualText } from "./timing-safe";

// Importing the app secret as an HMAC key on every webhook redid work whose result never changes: the key is kept
// per isolate, per secret (a rotated secret is simply another entry), bounded whatever the secrets seen. The key
// itself is kept, not the promise of it: a promise settled by another request's work is not shared across requests.
const KEYS_KEPT = 100;
const keys = new Map<string, CryptoKey>();

async function hmacKey(appSecret: string): Promise<CryptoKey> {
  const kept = keys.get(appSecret);
  if (kept) return kept;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(appSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  if (keys.size >= KEYS_KEPT) keys.clear();
  keys.set(appSecret, key);
  return key;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/**
 * Meta's `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the request body with the app secret. It is
 * computed over the bytes exactly as sent (Meta escapes non-ASCII as lower-case \uXXXX), so it must be
 * checked over the raw bytes received, never over a re-serialized body. Constant-time comparison.
 */
export async function verifyHubSignature(
  appSecret: string,
  body: Uint8Array,
  header: string | null | undefined,
): Promise<boolean> {
  if (!header?.startsWith("sha256=")) return false;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(appSecret), body));
  let hex = "";
  for (const b of mac) hex += HEX[b];
  // Meta sends lower-case hex; an upper-case header is still the same MAC.
  return timingSafeEqualText(hex, header.slice("sha256=".length).toLowerCase());
}
