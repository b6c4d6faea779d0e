import { html } from "hono/html";
import type { z } from "zod";
import { AppError, toAppError } from "../errors";

/** Messages keyed by the name of the page control they belong to. */
export type PageErrors = Record<string, string>;

/**
 * A failed parse (zod) or a domain refusal (AppError fields) as messages per control: `control` maps an
 * input path such as `workingHours.1.0.1` to the control that shows it. The first message per control wins.
 */
export function pageErrors(err: z.ZodError | AppError, control: (path: string) => string): PageErrors {
  const pairs =
    err instanceof AppError
      ? Object.entries(err.fields ?? { form: err.message })
      : err.issues.map((i) => [i.path.join("."), i.message] as const);
  const out: PageErrors = {};
  for (const [path, message] of pairs) out[control(path)] ??= message;
  return out;
}

/** The message under a control, tied to it for assistive tech by `invalidAttrs`. */
export function errorFor(errors: PageErrors, name: string) {
  const message = errors[name];
  return message ? html`<span id="${name}-error" class="err" data-error-for="${name}">${message}</span>` : "";
}

export function invalidAttrs(errors: PageErrors, name: string) {
  return errors[name] ? html`aria-invalid="true" aria-describedby="${name}-error"` : "";
}

/** A form post's text values (files and repeated keys are not part of these pages). */
export async function formValues(req: {
  parseBody(): Promise<Record<string, unknown>>;
}): Promise<Record<string, string>> {
  const body = await req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * Parses a page's input with the API's schema and saves it with the API's verb: either what the verb
 * returned, or the messages per control (a parse failure or a 4xx refusal; nothing was saved).
 */
export async function judge<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  control: (path: string) => string,
  save: (data: z.output<S>) => Promise<T>,
): Promise<{ saved: T } | { errors: PageErrors }> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { errors: pageErrors(parsed.error, control) };
  try {
    return { saved: await save(parsed.data) };
  } catch (err) {
    // Verbs let storage errors through as they come; the one mapping tells a refusal (4xx) from a failure.
    const appErr = toAppError(err);
    if (appErr.status < 500) return { errors: pageErrors(appErr, control) };
    throw err;
  }
}
