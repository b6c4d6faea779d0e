import { createMiddleware } from "hono/factory";
import { AppError } from "../errors";
import type { AppEnv } from "./app";
import { readBodyLimited } from "./read-body";
import { assertStorableText } from "./text-safety";

/**
 * Reads an owner-API JSON body once, before the route's validator: bounded in size (API_MAX_BODY_BYTES),
 * decoded as strict UTF-8 (`request.json()` would silently turn invalid bytes into U+FFFD), parsed, and
 * checked for text the database cannot keep as sent. The text is left in Hono's body cache, where the
 * zod-openapi validator's `c.req.json()` finds it.
 */
export const preloadJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (["POST", "PATCH", "PUT"].includes(c.req.method)) {
    const text = await readBodyLimited(c.req.raw, c.get("config").API_MAX_BODY_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError("INVALID_JSON", "The request body is not valid JSON.", {
        fields: { body: "Malformed JSON." },
      });
    }
    assertStorableText(parsed);
    // Hono keeps promises in this cache at run time although its type says plain values.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
  }
  await next();
});
