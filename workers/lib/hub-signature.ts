import { timingSafeEqualText } from "./timing-safe";

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
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(appSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, body));
  const hex = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  // Meta sends lower-case hex; an upper-case header is still the same MAC.
  return timingSafeEqualText(hex, header.slice("sha256=".length).toLowerCase());
}
