import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, toAppError as domainError, errorBody } from "../errors";
import type { App, AppEnv } from "./app";

function toAppError(err: unknown): AppError {
  if (err instanceof HTTPException) {
    // Hono's validators throw this for a body that is not JSON.
    if (/malformed json/i.test(err.message)) {
      return new AppError("INVALID_JSON", "The request body is not valid JSON.", {
        fields: { body: "Malformed JSON." },
      });
    }
    if (err.status === 413) return new AppError("PAYLOAD_TOO_LARGE", err.message || "Request body too large.");
    return new AppError(err.status >= 500 ? "INTERNAL" : "BAD_REQUEST", err.message || "Bad request.");
  }
  return domainError(err);
}

export function renderError(err: unknown, c: Context<AppEnv>): Response {
  const appErr = toAppError(err);
  const requestId = c.get("requestId") ?? "unknown";
  if (appErr.status >= 500) {
    console.error(
      JSON.stringify({ requestId, code: appErr.code, message: appErr.message, cause: String(appErr.cause ?? err) }),
    );
  }
  return c.json(errorBody(appErr, requestId), appErr.status, appErr.headers);
}

/** Unknown routes and every thrown error answer in the one error shape. */
export function answerErrors(app: App) {
  app.notFound((c) => renderError(new AppError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`), c));
  app.onError((err, c) => renderError(err, c));
}
