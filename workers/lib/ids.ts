const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const SORTED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"; // ASCII order

/** Random base62 string from the platform CSPRNG; 22 chars ≈ 131 bits. */
export function randomToken(length = 22): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  // 256 % 62 bias is negligible for identifiers; keys use 32+ chars.
  for (const b of bytes) out += ALPHABET[b % 62];
  return out;
}

let lastTime = -1;
let lastRandom = "";

/** base62 (ASCII-ordered) increment; the 12-char tail never realistically overflows within 1 ms. */
function increment(s: string): string {
  const chars = s.split("");
  for (let i = chars.length - 1; i >= 0; i--) {
    const idx = SORTED.indexOf(chars[i]!);
    if (idx < SORTED.length - 1) {
      chars[i] = SORTED[idx + 1]!;
      return chars.join("");
    }
    chars[i] = SORTED[0]!;
  }
  return chars.join("");
}

/**
 * Prefixed ids (`lead_…`, `evt_…`) that sort by creation: a millisecond timestamp in base36, then 12
 * random chars — incremented instead of redrawn within the same millisecond (as ULIDs do), so events
 * written together keep their order when sorted by id.
 */
export function newId(prefix: string, now = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = increment(lastRandom);
  } else {
    lastTime = now;
    lastRandom = [...randomToken(12)].map((c) => SORTED[ALPHABET.indexOf(c)]).join("");
    // Leave headroom so increments within a millisecond do not wrap.
    lastRandom = `${SORTED[SORTED.indexOf(lastRandom[0]!) % 31]}${lastRandom.slice(1)}`;
  }
  return `${prefix}_${lastTime.toString(36).padStart(9, "0")}${lastRandom}`;
}
