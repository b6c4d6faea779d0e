import { createMiddleware } from "hono/factory";
import { AppError } from "../errors";

// A lone UTF-16 surrogate (from a JSON escape like "\ud800") cannot be stored as UTF-8: the libSQL engine
// silently turns it into U+FFFD. A NUL is stored, but the engine's reader stops at it, so the text comes
// back cut short. Neither comes from a real form or a sane client: refuse them instead of storing something
// other than what was sent.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_DEPTH = 32;

function problemWith(text: string): string | null {
  if (text.includes("\u0000")) return "Contains a NUL character.";
  if (LONE_SURROGATE.test(text)) return "Contains an unpaired UTF-16 surrogate.";
  return null;
}

/**
 * Walks a parsed body (iteratively: a deeply nested body must not overflow the stack) and throws a 400
 * naming the first key or value that is unsafe to store, or a body nested deeper than any route accepts.
 */
export function assertStorableText(value: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const name = item.path || "body";
    if (item.depth > MAX_DEPTH) {
      throw new AppError("BAD_REQUEST", `The body is nested deeper than ${MAX_DEPTH} levels.`, {
        fields: { [name]: "Too deeply nested." },
      });
    }
    if (typeof item.value === "string") {
      const problem = problemWith(item.value);
      if (problem)
        throw new AppError("BAD_REQUEST", "The body holds text that cannot be stored.", {
          fields: { [name]: problem },
        });
    } else if (typeof item.value === "object" && item.value !== null) {
      for (const [key, child] of Object.entries(item.value)) {
        const path = item.path ? `${item.path}.${key}` : key;
        const keyProblem = problemWith(key);
        if (keyProblem) {
          throw new AppError("BAD_REQUEST", "The body holds text that cannot be stored.", {
            fields: { [JSON.stringify(key)]: keyProblem },
          });
        }
        stack.push({ value: child, path, depth: item.depth + 1 });
      }
    }
  }
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes stay as typed: routes treat them as unknown ids
  }
}

/**
 * The same rule for the URL: a NUL in a path id or query value reached libSQL as a bound argument, which
 * the server refuses (a 500). Refused here as a 400 naming the parameter, before any route runs.
 */
export const rejectUnstorableUrl = createMiddleware(async (c, next) => {
  const url = new URL(c.req.url);
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  for (const [i, segment] of url.pathname.split("/").entries()) params[`path.${i}`] = decoded(segment);
  assertStorableText(params);
  await next();
});
