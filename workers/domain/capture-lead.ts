import type { InStatement, InValue } from "@libsql/client/web";
import { z } from "zod";
import { LEAD_SOURCES } from "../../db/schema";
import { AppError, toAppError, type FieldErrors } from "../errors";
import { normalizeEmail, normalizePhone } from "../lib/contact";
import { newId } from "../lib/ids";
import type { Actor, DomainContext, WorkspaceRef } from "./context";
import { leadFromRow, type Lead } from "./lead-row";
import { scoreLead, type ScoringRules } from "./scoring";
import { getScoringRules } from "./scoring-rules";

/** Named args the statement actually references: libSQL servers reject unused ones. */
function stmt(sql: string, args: Record<string, InValue>): InStatement {
  const used = new Set([...sql.matchAll(/:([A-Za-z]\w*)/g)].map((m) => m[1]!));
  return { sql, args: Object.fromEntries(Object.entries(args).filter(([k]) => used.has(k))) };
}

const text = (max: number) => z.string().trim().max(max).optional();

/** What any channel hands to `captureLead` after translating its own payload. */
export const captureInputSchema = z.object({
  source: z.enum(LEAD_SOURCES),
  formId: z.string().optional(),
  name: text(200),
  email: text(254),
  phone: text(40),
  telegramUserId: text(64),
  whatsappId: text(64),
  message: text(5000),
  fields: z.record(z.string().max(64), z.string().max(2000)).default({}),
  utm: z
    .object({ source: text(200), medium: text(200), campaign: text(200), term: text(200), content: text(200) })
    .default({}),
  referrer: text(2048),
  pageUrl: text(2048),
  // At-least-once channels pass their delivery id: a replay records nothing new.
  dedupKey: text(200),
});

export type CaptureInput = z.input<typeof captureInputSchema>;

export interface CaptureResult {
  lead: Lead;
  /** false when the contact matched an existing lead of the workspace (a re-inquiry). */
  created: boolean;
  /** false when `dedupKey` had been seen already: nothing was written. */
  recorded: boolean;
}

/**
 * The one verb every channel calls. Normalizes the contact, then dedups, writes the lead and its
 * timeline event in a single atomic libSQL batch (one round trip): the same phone, email or chat
 * identity within the workspace is the same lead and gets a `re-inquiry` event instead of a new row.
 */
export async function captureLead(
  { ctx, workspace, actor, scoring }: { ctx: DomainContext; workspace: WorkspaceRef; actor: Actor; scoring?: ScoringRules },
  rawInput: CaptureInput,
): Promise<CaptureResult> {
  const parsed = captureInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw AppError.validation(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])));
  }
  const input = parsed.data;
  const fieldErrors: FieldErrors = {};
  const blank = (v: string | undefined) => (v === undefined || v === "" ? null : v);

  const phoneRaw = blank(input.phone);
  const phone = phoneRaw === null ? null : normalizePhone(phoneRaw, workspace.defaultCountry);
  if (phoneRaw !== null && phone === null) {
    fieldErrors.phone = `Not a valid phone number (read with default country ${workspace.defaultCountry}).`;
  }
  const emailRaw = blank(input.email);
  const email = emailRaw === null ? null : normalizeEmail(emailRaw);
  if (emailRaw !== null && email === null) fieldErrors.email = "Not a valid email address.";

  const telegramUserId = blank(input.telegramUserId);
  const whatsappId = blank(input.whatsappId);
  if (Object.keys(fieldErrors).length > 0) throw AppError.validation(fieldErrors);
  if (!phone && !email && !telegramUserId && !whatsappId) {
    throw AppError.validation({ contact: "A phone number or an email address is required." });
  }

  const now = ctx.now();
  const leadId = newId("lead", now);
  const eventId = newId("evt", now);
  const args = {
    ws: workspace.id,
    id: leadId,
    phone,
    email,
    tg: telegramUserId,
    wa: whatsappId,
    name: blank(input.name),
    now,
    fields: JSON.stringify(input.fields),
  };
  // Dedup precedence: this capture's own new row, then phone, email, Telegram and WhatsApp identity.
  const matched = `COALESCE(
    (SELECT id FROM lead WHERE id = :id),
    (SELECT id FROM lead WHERE workspace_id = :ws AND phone = :phone),
    (SELECT id FROM lead WHERE workspace_id = :ws AND email = :email),
    (SELECT id FROM lead WHERE workspace_id = :ws AND telegram_user_id = :tg),
    (SELECT id FROM lead WHERE workspace_id = :ws AND whatsapp_id = :wa))`;
  // An identifier is only merged into the matched lead if no other lead of the workspace owns it.
  const mergeIfFree = (col: string, arg: string) =>
    `${col} = COALESCE(${col}, (SELECT :${arg} WHERE NOT EXISTS (SELECT 1 FROM lead WHERE workspace_id = :ws AND ${col} = :${arg})))`;

  // Scored in JS before the batch (no extra round trip). A new lead is scored on what it sent; a
  // re-inquiry's merged row is not known here, so the batch keeps the higher of its stored score and this
  // one with the engagement bonus (a lower bound of the merged lead's score).
  const scoreInput = { ...args, source: input.source, whatsappId: whatsappId, utmSource: input.utm.source, fields: input.fields, lastInboundAt: now };
  // Cached per isolate: no round trip once warm. Callers may pass rules they already hold.
  const rules = scoring ?? (await getScoringRules(ctx, workspace.id));
  const fresh = scoreLead(scoreInput, rules, now);
  const again = scoreLead({ ...scoreInput, replied: true }, rules, now);

  const eventData = {
    channel: input.source,
    formId: input.formId ?? null,
    name: args.name,
    phone,
    email,
    phoneAsTyped: phoneRaw,
    message: blank(input.message),
    fields: input.fields,
    utm: input.utm,
    referrer: blank(input.referrer),
    pageUrl: blank(input.pageUrl),
  };

  let rows;
  try {
    const results = await ctx.database.client.batch(
      [
        stmt(
          `INSERT INTO lead (id, workspace_id, form_id, source, status, name, phone, email, telegram_user_id,
                  whatsapp_id, message, fields, utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer,
                  page_url, score, score_reasons, hot, last_inbound_at, created_at, updated_at)
                VALUES (:id, :ws, :formId, :source, 'new', :name, :phone, :email, :tg, :wa, :message, :fields,
                  :utmSource, :utmMedium, :utmCampaign, :utmTerm, :utmContent, :referrer, :pageUrl, :score, :reasons, :hot,
                  :now, :now, :now)
                ON CONFLICT DO NOTHING`,
          {
            ...args,
            formId: input.formId ?? null,
            source: input.source,
            message: blank(input.message),
            utmSource: blank(input.utm.source),
            utmMedium: blank(input.utm.medium),
            utmCampaign: blank(input.utm.campaign),
            utmTerm: blank(input.utm.term),
            utmContent: blank(input.utm.content),
            referrer: blank(input.referrer),
            pageUrl: blank(input.pageUrl),
            score: fresh.score,
            reasons: JSON.stringify(fresh.reasons),
            hot: fresh.hot ? 1 : 0,
          },
        ),
        // Re-inquiry: first-touch attribution stays, missing contact details are filled in, answers refreshed.
        stmt(
          `UPDATE lead SET name = COALESCE(name, :name), ${mergeIfFree("phone", "phone")}, ${mergeIfFree("email", "email")},
                  ${mergeIfFree("telegram_user_id", "tg")}, ${mergeIfFree("whatsapp_id", "wa")},
                  fields = json_patch(fields, :fields), last_inbound_at = :now, updated_at = :now,
                  score_reasons = CASE WHEN COALESCE(score, 0) <= :score THEN :reasons ELSE score_reasons END,
                  hot = CASE WHEN COALESCE(score, 0) <= :score THEN :hot ELSE hot END,
                  score = MAX(COALESCE(score, 0), :score)
                WHERE id = ${matched} AND id <> :id
                  AND NOT EXISTS (SELECT 1 FROM lead_event WHERE workspace_id = :ws AND dedup_key = :dedupKey)`,
          { ...args, dedupKey: blank(input.dedupKey), score: again.score, reasons: JSON.stringify(again.reasons), hot: again.hot ? 1 : 0 },
        ),
        stmt(
          `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key, created_at)
                SELECT :eventId, :ws, m.id, CASE WHEN m.id = :id THEN 'created' ELSE 're-inquiry' END,
                  :actorType, :actorId, :data, :dedupKey, :now
                FROM (SELECT ${matched} AS id) AS m WHERE m.id IS NOT NULL
                ON CONFLICT DO NOTHING`,
          {
            ...args,
            eventId,
            actorType: actor.type,
            actorId: actor.id ?? null,
            data: JSON.stringify(eventData),
            dedupKey: blank(input.dedupKey),
          },
        ),
        stmt(
          `SELECT lead.*, lead.id = :id AS created,
                  EXISTS (SELECT 1 FROM lead_event WHERE id = :eventId) AS recorded
                FROM lead WHERE id = ${matched}`,
          { ...args, eventId },
        ),
      ],
      "write",
    );
    rows = results[3]?.rows;
  } catch (err) {
    throw toAppError(err);
  }
  const row = rows?.[0];
  if (!row) throw new AppError("INTERNAL", "Capture batch returned no lead row.");
  return { lead: leadFromRow(row), created: Number(row.created) === 1, recorded: Number(row.recorded) === 1 };
}
