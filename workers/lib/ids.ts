const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Random base62 string from the platform CSPRNG; 22 chars ≈ 131 bits. */
export function randomToken(length = 22): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  // 256 % 62 bias is negligible for identifiers; keys use 32+ chars.
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}

/**
 * Prefixed ids (`lead_…`, `ws_…`) that sort by creation time: a millisecond timestamp in base36
 * then randomness, so a newest-first listing can page on the id alone.
 */
export function newId(prefix: string, now = Date.now()): string {
  return `${prefix}_${now.toString(36).padStart(9, "0")}${randomToken(12)}`;
}
