// Three failure scopes, mirroring the protocol: an HttpError fails the whole HTTP request (and the
// stream it names), a RequestError fails one request of a pipeline (or one batch step), and SQLite
// errors are turned into a RequestError-shaped `{message, code}` for the client.

export interface ProtoError {
  message: string;
  code: string;
}

/** Fails the whole HTTP request; per the spec the client must then treat the stream as dead. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Fails one stream request (or batch step) while the rest of the pipeline carries on. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

interface LibsqlNativeError {
  message: string;
  code: string;
  rawCode?: number;
}

export function isSqliteError(e: unknown): e is LibsqlNativeError {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

// Primary result codes by number: libsql reports the extended code (SQLITE_CONSTRAINT_UNIQUE, 2067),
// while sqld and @libsql/client's `LibsqlError.code` use the primary one (SQLITE_CONSTRAINT), with the
// extended code only in `extendedCode` for local files. Over HTTP the client drops everything but
// `message` and `code`, so the extended code is sent as an extra field for humans and logs.
const PRIMARY_CODES: Record<number, string> = {
  1: "SQLITE_ERROR",
  2: "SQLITE_INTERNAL",
  3: "SQLITE_PERM",
  4: "SQLITE_ABORT",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  7: "SQLITE_NOMEM",
  8: "SQLITE_READONLY",
  9: "SQLITE_INTERRUPT",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  12: "SQLITE_NOTFOUND",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  15: "SQLITE_PROTOCOL",
  16: "SQLITE_EMPTY",
  17: "SQLITE_SCHEMA",
  18: "SQLITE_TOOBIG",
  19: "SQLITE_CONSTRAINT",
  20: "SQLITE_MISMATCH",
  21: "SQLITE_MISUSE",
  22: "SQLITE_NOLFS",
  23: "SQLITE_AUTH",
  24: "SQLITE_FORMAT",
  25: "SQLITE_RANGE",
  26: "SQLITE_NOTADB",
};

function primaryCode(e: LibsqlNativeError): string {
  if (typeof e.rawCode === "number") {
    const code = PRIMARY_CODES[e.rawCode & 0xff];
    if (code !== undefined) return code;
  }
  // Fall back to trimming the name: SQLITE_CONSTRAINT_UNIQUE -> SQLITE_CONSTRAINT.
  const known = Object.values(PRIMARY_CODES).find((c) => e.code === c || e.code.startsWith(`${c}_`));
  return known ?? e.code;
}

// sqld rejects unparsable SQL with its own parser before SQLite sees it; keep its code for those.
const PARSE_ERROR = /syntax error|incomplete input|unrecognized token/;

export type WireError = ProtoError & { extended_code?: string };

export function toProtoError(e: unknown): WireError {
  if (e instanceof RequestError) return { message: e.message, code: e.code };
  if (isSqliteError(e)) {
    const code = primaryCode(e);
    if (code === "SQLITE_ERROR" && PARSE_ERROR.test(e.message)) {
      return { message: `SQL string could not be parsed: ${e.message}`, code: "SQL_PARSE_ERROR" };
    }
    const wire: WireError = { message: `SQLite error: ${e.message}`, code };
    if (e.code !== code) wire.extended_code = e.code;
    return wire;
  }
  const message = e instanceof Error ? e.message : String(e);
  return { message: `Internal error: ${message}`, code: "INTERNAL_ERROR" };
}

/** Errors that say "someone else holds the lock"; only these are worth waiting out. */
export function isBusyError(e: unknown): boolean {
  return (
    isSqliteError(e) && (e.code === "SQLITE_BUSY" || e.code === "SQLITE_BUSY_RECOVERY" || e.code === "SQLITE_LOCKED")
  );
}

/** Any lock failure, including SQLITE_BUSY_SNAPSHOT which no amount of waiting fixes. */
export function isLockError(e: unknown): boolean {
  return isSqliteError(e) && (e.code.startsWith("SQLITE_BUSY") || e.code.startsWith("SQLITE_LOCKED"));
}
