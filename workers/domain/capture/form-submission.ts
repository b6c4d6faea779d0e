import type { FormField } from "../../../db/schema";
import { AppError, type FieldErrors } from "../../errors";
import type { CaptureInput } from "./capture-lead";
import type { Form } from "./forms";

/** Lead columns a form field can fill directly; every other field lands in `lead.fields`. */
const CONTACT_FIELDS = new Set(["name", "email", "phone", "message"]);
const UTM_KEYS = ["source", "medium", "campaign", "term", "content"] as const;

export type Submission = Record<string, unknown>;

/**
 * A submitted value by field name, own properties only: field names may be "constructor" or "toString",
 * and `submission[name]` would find Object.prototype's function for a field the prospect left out.
 */
function ownValue(submission: Submission, name: string): unknown {
  return Object.hasOwn(submission, name) ? submission[name] : undefined;
}

function checkField(field: FormField, value: string): string | null {
  if (field.maxLength !== undefined && value.length > field.maxLength) return `At most ${field.maxLength} characters.`;
  switch (field.type) {
    case "number":
      return Number.isFinite(Number(value)) ? null : "Must be a number.";
    case "select":
      return field.options?.includes(value) ? null : `Must be one of: ${(field.options ?? []).join(", ")}.`;
    case "checkbox":
      return ["true", "false", "on", "yes", "no", "1", "0"].includes(value.toLowerCase())
        ? null
        : "Must be a checkbox value.";
    default:
      return null;
  }
}

function asText(value: unknown): string | undefined | false {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  return false;
}

/** UTM parameters from the submission, else from the query string of the page the form was on. */
function utmFrom(submission: Submission, pageUrl: string | undefined): CaptureInput["utm"] {
  let query: URLSearchParams | undefined;
  try {
    query = pageUrl ? new URL(pageUrl).searchParams : undefined;
  } catch {
    query = undefined;
  }
  const utm: Record<string, string> = {};
  for (const key of UTM_KEYS) {
    const direct = asText(ownValue(submission, `utm_${key}`));
    const value = typeof direct === "string" && direct !== "" ? direct : (query?.get(`utm_${key}`) ?? undefined);
    if (value) utm[key] = value.slice(0, 200);
  }
  return utm;
}

/**
 * Applies the form's own field rules (required, type, length, options) to a submission and turns it
 * into a capture input. Every problem is reported at once, keyed by field name; nothing is written.
 */
export function submissionToCapture(
  form: Form,
  submission: Submission,
  meta: { referer?: string | undefined },
): CaptureInput {
  const errors: FieldErrors = {};
  const contact: Record<string, string> = {};
  const fields: Record<string, string> = {};

  for (const field of form.fields) {
    const value = asText(ownValue(submission, field.name));
    if (value === false) {
      errors[field.name] = "Must be a single value, not a list or an object.";
      continue;
    }
    if (value === undefined || value === "") {
      if (field.required) errors[field.name] = `${field.label} is required.`;
      continue;
    }
    const problem = checkField(field, value);
    if (problem) {
      errors[field.name] = problem;
      continue;
    }
    if (CONTACT_FIELDS.has(field.name)) contact[field.name] = value;
    else fields[field.name] = value;
  }
  const meta2: Record<string, string> = {};
  for (const key of ["page_url", "referrer"] as const) {
    const value = asText(ownValue(submission, key));
    if (value === false || (typeof value === "string" && value.length > 2048))
      errors[key] = "At most 2048 characters of text.";
    else if (value) meta2[key] = value;
  }
  // A lead must be reachable: the visitor sees which fields can fix that, not a message about the form.
  const reach = form.fields.filter((f) => f.name === "email" || f.name === "phone");
  if (reach.length > 0 && !contact.email && !contact.phone && !reach.some((f) => errors[f.name])) {
    for (const f of reach) errors[f.name] = reach.length > 1 ? CONTACT_NEEDED : `${f.label} is required.`;
    errors.contact = "A phone number or an email address is required.";
  }
  if (Object.keys(errors).length > 0) throw AppError.validation(errors);

  const pageUrl = meta2.page_url ?? meta.referer;
  return {
    source: "form",
    formId: form.id,
    ...contact,
    fields,
    utm: utmFrom(submission, pageUrl),
    pageUrl,
    referrer: meta2.referrer,
    ...(form.consentText
      ? { consent: { text: form.consentText, given: isYes(ownValue(submission, "_consent")) } }
      : {}),
  };
}

const isYes = (v: unknown) =>
  v === true || (typeof v === "string" && ["yes", "on", "true", "1"].includes(v.toLowerCase()));

export const CONTACT_NEEDED = "Enter an email or a phone number so we can reply.";

export function isHoneypotFilled(form: Form, submission: Submission): boolean {
  const value = ownValue(submission, form.honeypotField);
  return value !== undefined && value !== null && value !== "";
}

/** People take seconds to fill a form; scripts post at once. The embed snippet sends `_elapsed_ms` since render. */
export const MIN_FILL_MS = 2000;

/**
 * True when the snippet reported a fill time under MIN_FILL_MS: treated like the honeypot (normal answer,
 * nothing stored). Posts without `_elapsed_ms` (plain HTML forms, servers) are not judged by it. Only a
 * number or a string is read: Number() on an object runs its `valueOf`/`toString`, which a JSON body can
 * set to non-functions (a TypeError, formerly a 500), so anything else is a 422 on the field.
 */
export function isTooFast(submission: Submission): boolean {
  const raw = ownValue(submission, "_elapsed_ms");
  if (raw === undefined || raw === null || raw === "") return false;
  if (typeof raw !== "number" && typeof raw !== "string") {
    throw AppError.validation({ _elapsed_ms: "Must be a number of milliseconds." });
  }
  const ms = Number(raw);
  return !Number.isFinite(ms) || ms < MIN_FILL_MS;
}

// Keys that may differ between the snippet's retries of one entry (fill time, a fresh anti-bot token).
const VOLATILE_KEYS = new Set(["_elapsed_ms", "_sid", "cf-turnstile-response"]);

/** FNV-1a, 32 bits: tells two submissions apart, not a security boundary (the key is scoped to one workspace). */
function fingerprint(submission: Submission): string {
  const entries = Object.entries(submission)
    .filter(([k]) => !VOLATILE_KEYS.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = JSON.stringify(entries);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/**
 * The snippet's own id for one entry (`_sid`), kept across its retries: a retry of a submission that was
 * stored but whose answer got lost records nothing twice (capture's dedup key). The key includes what was
 * sent, so a different submission reusing an earlier `_sid` (a buggy page, a replay with other data) is a
 * submission of its own rather than being swallowed as a retry.
 */
export function submissionDedupKey(submission: Submission): string | undefined {
  const sid = ownValue(submission, "_sid");
  return typeof sid === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(sid)
    ? `form:${sid}:${fingerprint(submission)}`
    : undefined;
}
