import { AppError } from "../errors";

// Labels the WHATWG Encoding Standard maps to windows-1252 (browsers send it for pages declared ISO-8859-1);
// the only legacy charset accepted, decoded here because workerd's TextDecoder knows only the UTF encodings.
const WINDOWS_1252 = new Set([
  "iso-8859-1",
  "iso8859-1",
  "iso_8859-1",
  "latin1",
  "l1",
  "cp1252",
  "windows-1252",
  "us-ascii",
  "ascii",
  "cp819",
  "ibm819",
  "x-cp1252",
]);
// 0x80-0x9F in windows-1252; the other bytes map to the code point of the same number.
const HIGH_1252 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

export type FormCharset = "utf-8" | "windows-1252";

/** The charset a Content-Type declares (`; charset=…`); UTF-8 when none is given. Anything else → 415. */
export function declaredCharset(contentType: string): FormCharset {
  const label = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1]?.toLowerCase();
  if (!label || label === "utf-8" || label === "utf8") return "utf-8";
  if (WINDOWS_1252.has(label)) return "windows-1252";
  throw new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    `The charset "${label.slice(0, 40)}" is not supported; send UTF-8 or ISO-8859-1.`,
    {
      fields: { "content-type": "Unsupported charset." },
    },
  );
}

function decode(bytes: Uint8Array, charset: FormCharset, field: string): string {
  if (charset === "windows-1252") {
    let out = "";
    for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? HIGH_1252[b - 0x80] : String.fromCharCode(b);
    return out;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Stored as U+FFFD otherwise: "Jos%E9" from a Latin-1 page would become "Jos\uFFFD" with no one the wiser.
    throw new AppError(
      "BAD_REQUEST",
      "The form data is not valid UTF-8; declare its charset (e.g. charset=ISO-8859-1).",
      {
        fields: { [field]: "Not valid UTF-8 and no other charset declared." },
      },
    );
  }
}

/** Percent-decodes one name or value to bytes (`+` is a space); raw bytes pass through as sent. */
function percentDecode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  const hex = (b: number) =>
    b >= 48 && b <= 57 ? b - 48 : b >= 65 && b <= 70 ? b - 55 : b >= 97 && b <= 102 ? b - 87 : -1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x2b) out[n++] = 0x20;
    else if (b === 0x25 && i + 2 < bytes.length && hex(bytes[i + 1]!) >= 0 && hex(bytes[i + 2]!) >= 0) {
      out[n++] = hex(bytes[i + 1]!) * 16 + hex(bytes[i + 2]!);
      i += 2;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

function split(bytes: Uint8Array, separator: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === separator) {
      parts.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

/**
 * application/x-www-form-urlencoded as the WHATWG URL standard parses it (split on bytes, percent-decode to
 * bytes), then each name and value decoded in the declared charset. URLSearchParams always decodes as UTF-8
 * and silently replaces what is not; here that is a 400 naming the field, or the right text.
 */
export function parseUrlencoded(body: Uint8Array, charset: FormCharset): Record<string, string> {
  // Entries, then fromEntries: a field named "__proto__" stays an own field instead of touching the prototype.
  const out: [string, string][] = [];
  for (const pair of split(body, 0x26)) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf(0x3d);
    const rawName = eq < 0 ? pair : pair.subarray(0, eq);
    const rawValue = eq < 0 ? new Uint8Array(0) : pair.subarray(eq + 1);
    const name = decode(percentDecode(rawName), charset, "body");
    out.push([name, decode(percentDecode(rawValue), charset, name)]);
  }
  return Object.fromEntries(out);
}

/** A JSON body (always UTF-8, RFC 8259): a declared charset other than UTF-8 is refused, not guessed. */
export function decodeJsonBytes(body: Uint8Array, charset: FormCharset): string {
  if (charset !== "utf-8") {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "JSON must be sent as UTF-8.", {
      fields: { "content-type": "JSON is UTF-8 only." },
    });
  }
  return decode(body, charset, "body");
}
