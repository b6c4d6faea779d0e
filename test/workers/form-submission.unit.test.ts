import { describe, expect, it } from "vitest";
import {
  isHoneypotFilled,
  isTooFast,
  submissionDedupKey,
  submissionToCapture,
} from "../../workers/domain/capture/form-submission";
import { DEFAULT_FORM_FIELDS, type Form } from "../../workers/domain/capture/forms";
import { AppError } from "../../workers/errors";

const form: Form = {
  id: "form_1",
  workspaceId: "ws_1",
  publicKey: "f_x",
  name: "F",
  fields: [...DEFAULT_FORM_FIELDS, { name: "budget", label: "Budget", type: "select", options: ["small", "big"] }],
  allowedOrigins: [],
  consentText: null,
  honeypotField: "company_website",
  successMessage: "ok",
  redirectUrl: null,
  autoReplyText: null,
  autoReplySubject: null,
  turnstileSiteKey: null,
  createdAt: 0,
  updatedAt: 0,
};

function fieldsOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.fields ?? {};
    throw err;
  }
  throw new Error("expected a validation error");
}

describe("submissionToCapture", () => {
  it("maps contact fields to lead columns and the rest to fields, UTM from the page URL", () => {
    const input = submissionToCapture(
      form,
      {
        name: "A",
        email: "a@b.co",
        budget: "big",
        unknown: "ignored",
        page_url: "https://x.test/?utm_source=fb&utm_campaign=q4",
      },
      {},
    );
    expect(input).toMatchObject({
      source: "form",
      formId: "form_1",
      name: "A",
      email: "a@b.co",
      fields: { budget: "big" },
      utm: { source: "fb", campaign: "q4" },
      pageUrl: "https://x.test/?utm_source=fb&utm_campaign=q4",
    });
    expect(input.fields).not.toHaveProperty("unknown");
  });

  it("explicit utm_* fields win over the page URL; Referer header is the page URL fallback", () => {
    const input = submissionToCapture(
      form,
      { name: "A", email: "a@b.co", utm_source: "mail" },
      { referer: "https://x.test/?utm_source=fb" },
    );
    expect(input.utm).toEqual({ source: "mail" });
    expect(input.pageUrl).toBe("https://x.test/?utm_source=fb");
  });

  it("reports every bad field at once", () => {
    const fields = fieldsOf(() =>
      submissionToCapture(form, { email: "a@b.co", budget: "huge", message: "x".repeat(2001), page_url: {} }, {}),
    );
    expect(Object.keys(fields).sort()).toEqual(["budget", "message", "name", "page_url"]);
  });

  it("detects the honeypot", () => {
    expect(isHoneypotFilled(form, { company_website: "x" })).toBe(true);
    expect(isHoneypotFilled(form, { company_website: "" })).toBe(false);
    expect(isHoneypotFilled(form, {})).toBe(false);
  });

  it("flags submissions the snippet timed under 2 s; posts without a timing are not judged", () => {
    expect(isTooFast({ _elapsed_ms: 350 })).toBe(true);
    expect(isTooFast({ _elapsed_ms: "1999" })).toBe(true);
    expect(isTooFast({ _elapsed_ms: "soon" })).toBe(true);
    expect(isTooFast({ _elapsed_ms: 2500 })).toBe(false);
    expect(isTooFast({})).toBe(false);
  });

  it("turns the snippet's entry id into a dedup key, ignoring anything malformed", () => {
    expect(submissionDedupKey({ _sid: "abcDEF123_-x" })).toMatch(/^form:abcDEF123_-x:/);
    expect(submissionDedupKey({ _sid: "short" })).toBeUndefined();
    expect(submissionDedupKey({ _sid: { x: 1 } })).toBeUndefined();
    expect(submissionDedupKey({})).toBeUndefined();
    // Retries of one entry share the key even with a new fill time or anti-bot token; other data does not.
    const entry = { _sid: "abcDEF123_-x", name: "Ana", email: "ana@example.com" };
    expect(submissionDedupKey({ ...entry, _elapsed_ms: 9000, "cf-turnstile-response": "t2" })).toBe(
      submissionDedupKey(entry),
    );
    expect(submissionDedupKey({ ...entry, email: "bo@example.com" })).not.toBe(submissionDedupKey(entry));
  });

  it("refuses a fill time that is not a number or a string, whatever its toString/valueOf", () => {
    for (const raw of [{}, { valueOf: 1, toString: 1 }, [5000], true]) {
      expect(() => isTooFast({ _elapsed_ms: raw }), JSON.stringify(raw)).toThrow(
        expect.objectContaining({ code: "VALIDATION_FAILED", fields: { _elapsed_ms: expect.any(String) } }),
      );
    }
  });
});
