import { LibsqlError } from "@libsql/client/web";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  VALIDATION_FAILED: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  BAD_ENVIRONMENT: 500,
  INTERNAL: 500,
  STORAGE_UNAVAILABLE: 503,
  // A platform we call (Telegram Bot API) failed or could not be reached; retry later.
  UPSTREAM_UNAVAILABLE: 502,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

// Seconds a client is told to wait after a 503: long enough for a libSQL restart or a failover, short enough that
// a form's visitor (the embed snippet retries) or a platform's redelivery is not held up for minutes.
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/** field path → message, e.g. `{ "phone": "Not a valid phone number for US" }` */
export type FieldErrors = Record<string, string>;

/**
 * The one error every layer throws. Domain verbs throw it without knowing the transport;
 * HTTP renders it as `{ error: { code, message, requestId, fields? } }`, the bots map it to a reply.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldErrors;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fields?: FieldErrors; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    if (opts.fields) this.fields = opts.fields;
    if (opts.headers) this.headers = opts.headers;
    // Every "retry shortly" answer says when: clients and platforms that honour Retry-After back off that long.
    if (code === "STORAGE_UNAVAILABLE" && !this.headers?.["Retry-After"]) {
      this.headers = { ...this.headers, "Retry-After": String(STORAGE_RETRY_AFTER_SECONDS) };
    }
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }

  static validation(fields: FieldErrors, message = "Some fields are invalid."): AppError {
    return new AppError("VALIDATION_FAILED", message, { fields });
  }

  static notFound(what: string): AppError {
    return new AppError("NOT_FOUND", `${what} not found.`);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; fields?: FieldErrors };
}

export function errorBody(err: AppError, requestId: string): ErrorBody {
  return {
    error: { code: err.code, message: err.message, requestId, ...(err.fields ? { fields: err.fields } : {}) },
  };
}

/** A network failure between the Worker and libSQL (see `openDatabase`). */
export class DatabaseUnreachable extends Error {
  constructor(cause: unknown) {
    super(`libSQL unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "DatabaseUnreachable";
  }
}

// libSQL codes that mean our SQL is wrong, not that the database is unwell: retrying will not help.
const PROGRAMMING_ERRORS = new RegExp(
  `^(${[
    "SQLITE_ERROR",
    "SQLITE_CONSTRAINT.*",
    "SQLITE_MISMATCH",
    "SQLITE_RANGE",
    "SQL_PARSE_ERROR",
    "SQL_INPUT_ERROR",
    "ARGS_INVALID",
    "SQL_NO_STATEMENT",
    "SQL_MANY_STATEMENTS",
  ].join("|")})$`,
);

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause)
    chain.push(e);
  return chain;
}

/**
 * Any failure → the one error. An unreachable or unwell database (network, HTTP 5xx, expired stream,
 * busy) becomes STORAGE_UNAVAILABLE (503) so webhooks and the embed snippet retry; a bad statement or
 * anything else unexpected is INTERNAL (500) and logged.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const chain = causes(err);
  const unreachable = chain.find((e) => e instanceof DatabaseUnreachable);
  const libsql = chain.find((e): e is LibsqlError => e instanceof LibsqlError);
  if (unreachable || (libsql && !PROGRAMMING_ERRORS.test(libsql.code))) {
    const detail = libsql ? `${libsql.code}: ${libsql.message}` : String(unreachable);
    return new AppError("STORAGE_UNAVAILABLE", "The database is unavailable; retry shortly.", {
      cause: new Error(detail),
    });
  }
  // A body id that passed its workspace check but whose row went away before the write (deleted in between):
  // the caller's input is wrong now, not our code. Over HTTP only the message tells this constraint apart.
  if (libsql && /^SQLITE_CONSTRAINT/.test(libsql.code) && /FOREIGN KEY constraint failed/i.test(libsql.message)) {
    return new AppError(
      "VALIDATION_FAILED",
      "A record this request refers to does not exist (any more) in this workspace.",
      { cause: libsql },
    );
  }
  const detail = libsql ? `${libsql.code}: ${libsql.message}` : err;
  return new AppError("INTERNAL", "Something went wrong on our side.", { cause: detail });
}
