import { RequestError } from "./errors";

// Everything here is strict on purpose: libsql-js aborts the process (a Rust panic, not an exception)
// when asked to bind a boolean or other unexpected JS value, so nothing reaches it unchecked.
// (It also panics when *reading* TEXT that is not valid UTF-8, e.g. `CAST(x'ff' AS TEXT)`; nothing on
// this side can prevent that one.)

/** What libsql binds and returns with safeIntegers on: integers are always bigint. */
export type SqlValue = null | bigint | number | string | Buffer;

export type WireValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const INTEGER = /^[+-]?\d+$/;

function invalid(where: string, why: string): RequestError {
  return new RequestError("PROTO_ERROR", `Invalid value in ${where}: ${why}`);
}

/**
 * `where` names the list the value is in and `index` its place in it (with `suffix` after): the path for an
 * error message is only put together when there is an error. Building it for every argument of every
 * statement was a tenth of the server's decoding work.
 */
function placeOf(where: string, index: number, suffix: string): string {
  return index < 0 ? where : `${where}[${index}]${suffix}`;
}

export function decodeValue(raw: unknown, where: string, index = -1, suffix = ""): SqlValue {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw invalid(placeOf(where, index, suffix), "expected an object");
  const v = raw as Record<string, unknown>;
  switch (v.type) {
    case "null":
      return null;
    case "integer": {
      const value = v.value;
      let n: bigint;
      if (typeof value === "string" && INTEGER.test(value)) n = BigInt(value);
      else if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
      else throw invalid(placeOf(where, index, suffix), "integer value must be a decimal string");
      if (n < MIN_INT64 || n > MAX_INT64) throw invalid(placeOf(where, index, suffix), "integer out of 64-bit range");
      return n;
    }
    case "float": {
      const value = v.value;
      if (typeof value !== "number") throw invalid(placeOf(where, index, suffix), "float value must be a number");
      return value;
    }
    case "text": {
      const value = v.value;
      if (typeof value !== "string") throw invalid(placeOf(where, index, suffix), "text value must be a string");
      // libsql-js binds strings as C strings and would silently cut the value at the first NUL.
      if (value.includes("\0"))
        throw new RequestError(
          "ARGS_INVALID",
          `Text in ${placeOf(where, index, suffix)} contains a NUL character, which libsql-js would truncate; send it as a blob`,
        );
      return value;
    }
    case "blob": {
      const b64 = v.base64;
      if (typeof b64 !== "string") throw invalid(placeOf(where, index, suffix), "blob must carry a base64 string");
      return Buffer.from(b64, "base64");
    }
    default:
      throw invalid(placeOf(where, index, suffix), `unknown type ${JSON.stringify(v.type)}`);
  }
}

export function encodeValue(value: unknown): WireValue {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: value.toString() };
  // JSON has no Infinity/NaN; libsql already reads those back as null, keep it that way.
  if (typeof value === "number") return Number.isFinite(value) ? { type: "float", value } : { type: "null" };
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array)
    return { type: "blob", base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
  if (value instanceof ArrayBuffer) return { type: "blob", base64: Buffer.from(value).toString("base64") };
  return { type: "text", value: String(value) };
}
