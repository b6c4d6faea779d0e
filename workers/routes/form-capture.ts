import type { Context } from "hono";
import { captureLead } from "../domain/capture/capture-lead";
import {
  isHoneypotFilled,
  isTooFast,
  type Submission,
  submissionDedupKey,
  submissionToCapture,
} from "../domain/capture/form-submission";
import { type Form, findPublicForm } from "../domain/capture/forms";
import { verifyTurnstile } from "../domain/capture/turnstile";
import { AppError } from "../errors";
import type { App, AppEnv } from "../http/app";
import { clientIp } from "../http/client-ip";
import { declaredCharset, decodeJsonBytes, parseUrlencoded } from "../http/form-charset";
import { limitPublicForm } from "../http/rate-limit";
import { readBytesLimited } from "../http/read-body";
import { assertStorableText } from "../http/text-safety";

const FORM_KEY = /^f_[A-Za-z0-9]{10,40}$/;

/** CORS for one form: only its allowed origins (any origin when the list is empty); others get a 403. */
function corsHeaders(form: Form, origin: string | undefined, verb: "post to" | "use"): Record<string, string> {
  if (!origin) return {};
  const allowed = form.allowedOrigins.length === 0 || form.allowedOrigins.includes(origin);
  if (!allowed)
    throw new AppError("FORBIDDEN", `This origin may not ${verb} this form.`, { fields: { origin: "Not allowed." } });
  return { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
}

async function loadForm(c: Context<AppEnv>) {
  const key = c.req.param("formKey") ?? "";
  if (!FORM_KEY.test(key)) throw AppError.notFound("Form");
  return findPublicForm(c.get("ctx"), key);
}

function parseSubmission(contentType: string, body: Uint8Array): Submission {
  if (/^application\/json\b/i.test(contentType)) {
    const text = decodeJsonBytes(body, declaredCharset(contentType));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError("INVALID_JSON", "The request body is not valid JSON.", {
        fields: { body: "Malformed JSON." },
      });
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new AppError("BAD_REQUEST", "The body must be a JSON object of field values.", {
        fields: { body: "Expected an object." },
      });
    }
    return parsed as Submission;
  }
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    // Pages served as ISO-8859-1 post in it: honoured when declared, refused (not mangled) when it is not.
    return parseUrlencoded(body, declaredCharset(contentType));
  }
  throw new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    "Send the form as application/json or application/x-www-form-urlencoded.",
    {
      fields: { "content-type": `Unsupported: ${contentType || "nothing"}.` },
    },
  );
}

/** A plain HTML form post (no JS) gets a page or a redirect; the embed snippet and fetch get JSON. */
function wantsHtml(c: Context<AppEnv>, contentType: string) {
  return /urlencoded/i.test(contentType) && /text\/html/i.test(c.req.header("accept") ?? "");
}

function thankYou(c: Context<AppEnv>, form: Form, html: boolean, headers: Record<string, string>) {
  if (html) {
    if (form.redirectUrl) return c.redirect(form.redirectUrl, 303);
    const safe = form.successMessage.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
    return c.html(`<!doctype html><meta charset="utf-8"><title>Thank you</title><p>${safe}</p>`, 200, headers);
  }
  // The same answer whether the contact was new or known: a public form must not reveal who is a lead.
  return c.json({ ok: true, message: form.successMessage, redirectUrl: form.redirectUrl }, 200, headers);
}

export function registerFormCapture(app: App) {
  app.options("/f/:formKey", async (c) => {
    const { form } = await loadForm(c);
    const cors = corsHeaders(form, c.req.header("origin"), "post to");
    return c.body(null, 204, {
      ...cors,
      "Access-Control-Allow-Methods": "POST, OPTIONS",
      "Access-Control-Allow-Headers": "Content-Type",
      "Access-Control-Max-Age": "600",
    });
  });

  // What the embed snippet renders: public settings only (no ids, no origins list).
  app.get("/f/:formKey/schema", async (c) => {
    const { form } = await loadForm(c);
    const cors = corsHeaders(form, c.req.header("origin"), "use");
    const fields = form.fields.map(({ name, label, type, required, maxLength, options }) => ({
      name,
      label,
      type,
      required,
      maxLength,
      options,
    }));
    return c.json(
      {
        fields,
        honeypotField: form.honeypotField,
        successMessage: form.successMessage,
        redirectUrl: form.redirectUrl,
        turnstileSiteKey: form.turnstileSiteKey,
        consentText: form.consentText,
      },
      200,
      { ...cors, "Cache-Control": "public, max-age=60" },
    );
  });

  app.post("/f/:formKey", async (c) => {
    const contentType = c.req.header("content-type") ?? "";
    const { form, workspace } = await loadForm(c);
    const cors = corsHeaders(form, c.req.header("origin"), "post to");
    // From here on even errors carry CORS headers, so the snippet can read them.
    try {
      await limitPublicForm(c, form.publicKey);
      const body = await readBytesLimited(c.req.raw, c.get("config").FORM_MAX_BODY_BYTES);
      const submission = parseSubmission(contentType, body);
      assertStorableText(submission);
      const html = wantsHtml(c, contentType);
      // Bots fill the hidden field or post at once: they get the normal answer and nothing is stored.
      if (isHoneypotFilled(form, submission) || isTooFast(submission)) return thankYou(c, form, html, cors);
      if (form.turnstileSiteKey)
        await verifyTurnstile(
          c.get("config"),
          submission["cf-turnstile-response"],
          clientIp(c, c.get("config")) ?? undefined,
        );
      const input = {
        ...submissionToCapture(form, submission, { referer: c.req.header("referer") }),
        dedupKey: submissionDedupKey(submission),
      };
      await captureLead({ ctx: c.get("ctx"), workspace, actor: { type: "prospect" } }, input);
      return thankYou(c, form, html, cors);
    } catch (err) {
      if (err instanceof AppError) {
        throw new AppError(err.code, err.message, {
          fields: err.fields,
          headers: { ...err.headers, ...cors },
          cause: err.cause,
        });
      }
      throw err;
    }
  });
}
