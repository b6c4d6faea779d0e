/**
 * A small deterministic generator of hostile request bodies (no dependency): same seed, same cases, so a
 * failure in CI replays exactly. Each case is raw bytes plus the content type to send (or none).
 */

/** mulberry32: tiny, fast, good enough to pick cases. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
export type Random = ReturnType<typeof seededRandom>;

export interface MalformedCase {
  label: string;
  body: Uint8Array;
  contentType: string | null;
}

const enc = new TextEncoder();

// Text that tends to break things: RTL override, zero-width joiners, emoji sequences, NUL, escapes,
// lone surrogates (only expressible as JSON escapes), SQL and markup, look-alike contact values.
const STRINGS = [
  "",
  " ",
  "Ada Lovelace",
  "ada@example.com",
  "ADA@EXAMPLE.COM ",
  "+1 415 555 0101",
  "(415) 555-0132",
  "0",
  "-1",
  "1e309",
  "true",
  "null",
  "\u202Eevil\u202C",
  "\u200B\u200C\u200D\uFEFF",
  "مرحبا بالعالم",
  "👩‍💻🏳️‍🌈👍🏽",
  "a\u0000b",
  "\u0000",
  "\ud800",
  "x\udfffy",
  "\ud83d\ude00",
  "'; DROP TABLE lead; --",
  "<script>alert(1)</script>",
  "%00%ff",
  "\\u0000",
  "line\r\nbreak",
  "https://acme.test/?utm_source=fb&utm_campaign=%F0%9F%98%80",
] as const;

const KEYS = [
  "name",
  "email",
  "phone",
  "message",
  "company_website",
  "page_url",
  "referrer",
  "utm_source",
  "fields",
  "utm",
  "status",
  "ownerRepId",
  "notes",
  "weight",
  "timezone",
  "defaultCountry",
  "allowedOrigins",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "",
  "\u0000",
  "\ud800",
  "é",
  "a".repeat(300),
] as const;

function randomString(r: Random, limit: number): string {
  const roll = r.next();
  if (roll < 0.08) return "x".repeat(r.int(limit + 2048));
  if (roll < 0.12) return "é".repeat(r.int(6000));
  return r.pick(STRINGS);
}

function randomValue(r: Random, depth: number, limit: number): unknown {
  const roll = r.next();
  if (depth > 3 || roll < 0.45) return randomString(r, limit);
  if (roll < 0.55) return r.pick([0, -0, 1.5, -1, 2 ** 53 + 1, 1e308, -1e-308]);
  if (roll < 0.62) return r.pick([true, false, null]);
  if (roll < 0.78) return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1, limit));
  return randomObject(r, depth + 1, limit);
}

function randomObject(r: Random, depth: number, limit: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = r.int(6); i > 0; i--) {
    // defineProperty: a "__proto__" key must become an own key in the JSON, as an attacker would send it.
    Object.defineProperty(out, r.pick(KEYS), {
      value: randomValue(r, depth, limit),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return out;
}

/** JSON text with the same key twice (JSON.stringify cannot produce it). */
function duplicateKeys(r: Random, limit: number): string {
  const key = JSON.stringify(r.pick(KEYS));
  const value = () => JSON.stringify(randomValue(r, 2, limit));
  return `{${key}:${value()},"email":"dup@example.com",${key}:${value()}}`;
}

function deeplyNested(r: Random): string {
  const depth = r.pick([40, 500, 5000, 100_000]);
  return r.next() < 0.5 ? "[".repeat(depth) + "]".repeat(depth) : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/**
 * Invalid UTF-8 spliced into otherwise valid JSON: lone continuation, truncated sequence, overlong, encoded surrogate.
 */
function invalidUtf8(r: Random): Uint8Array {
  const bad = r.pick([
    [0xff],
    [0xc3, 0x28],
    [0xe2, 0x82],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0x80],
  ]);
  const before = enc.encode('{"name":"Bad ');
  const after = enc.encode(`","email":"bad-${r.int(1e9)}@example.com"}`);
  return new Uint8Array([...before, ...bad, ...after]);
}

/** A hostile path segment or query string (percent-encoded as a client would send it), for URL fuzzing. */
export function hostileUrlPart(r: Random): { id: string; query: string } {
  // A lone surrogate cannot be percent-encoded as UTF-8; its encoded-surrogate bytes stand in for it.
  const encode = (t: string) => {
    try {
      return encodeURIComponent(t);
    } catch {
      return "%ED%A0%80";
    }
  };
  const text = () =>
    encode(r.next() < 0.1 ? "x".repeat(r.int(5000)) : r.pick(STRINGS)).replace(/%25/g, r.next() < 0.3 ? "%" : "%25");
  const keys = ["q", "status", "source", "owner", "from", "to", "limit", "cursor", r.pick(KEYS)];
  const query = Array.from({ length: r.int(4) }, () => `${encode(r.pick(keys))}=${text()}`).join("&");
  return { id: text() || "%00", query };
}

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/vnd.api+json",
  "application/json-patch",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "text/plain",
  "application/xml",
  "",
  null,
] as const;

/**
 * One hostile case. `limit` is the route's body limit: generated strings reach just under and over it.
 * `valid` is a body the route accepts, mutated by some cases so that near-valid inputs are covered too.
 */
export function malformedCase(r: Random, limit: number, valid: () => Record<string, unknown>): MalformedCase {
  const kind = r.int(10);
  const json = (value: unknown, label: string): MalformedCase => ({
    label,
    body: enc.encode(JSON.stringify(value)),
    contentType: r.next() < 0.8 ? "application/json" : r.pick(CONTENT_TYPES),
  });
  switch (kind) {
    case 0:
      return json(randomValue(r, 0, limit), "random JSON value");
    case 1:
    case 2: {
      // A valid body with one field replaced by something hostile.
      const body = valid();
      Object.defineProperty(body, r.pick(Object.keys(body).concat(KEYS)), {
        value: randomValue(r, 1, limit),
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return json(body, "valid body, one field hostile");
    }
    case 3:
      return json(randomObject(r, 0, limit), "random object");
    case 4:
      return { label: "duplicate keys", body: enc.encode(duplicateKeys(r, limit)), contentType: "application/json" };
    case 5:
      return { label: "deep nesting", body: enc.encode(deeplyNested(r)), contentType: "application/json" };
    case 6:
      return {
        label: "invalid UTF-8",
        body: invalidUtf8(r),
        contentType: r.pick(["application/json", "application/x-www-form-urlencoded"]),
      };
    case 7: {
      const size = r.pick([limit - 64, limit, limit + 1, limit * 2]);
      const body = { ...valid(), message: "m".repeat(Math.max(0, size - 120)) };
      return json(body, `around the body limit (${size} bytes)`);
    }
    case 8: {
      // Form encoding with hostile percent escapes (invalid UTF-8, NUL, huge values).
      const parts = Object.entries(valid()).map(
        ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`,
      );
      parts.push(
        r.pick([
          "name=%ff%fe",
          "email=%00",
          "__proto__=x",
          "constructor=1",
          `message=${"%F0%9F%98%80".repeat(r.int(4000))}`,
          "a&&=&b",
        ]),
      );
      return {
        label: "urlencoded",
        body: enc.encode(parts.join("&")),
        contentType: r.pick(["application/x-www-form-urlencoded", "application/json"]),
      };
    }
    default:
      return {
        label: "wrong content type",
        body: enc.encode(JSON.stringify(valid())),
        contentType: r.pick(CONTENT_TYPES),
      };
  }
}
