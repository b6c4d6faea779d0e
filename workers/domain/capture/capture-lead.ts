import { z } from "@hono/zod-openapi";
import type { InStatement, Row } from "@libsql/client/web";
import { LEAD_SOURCES, type WebhookEventType } from "../../../db/schema";
import { AppError, type FieldErrors, toAppError } from "../../errors";
import { normalizeEmail, normalizePhone, phoneCountry } from "../../lib/contact";
import { newId } from "../../lib/ids";
import { stmt } from "../../lib/statement";
import { captureOutboxStatements } from "../../outbox/capture-statements";
import { insertedIds } from "../../outbox/outbox-row";
import { sendSoon } from "../../outbox/send-now";
import { returnedIds, webhookStatement } from "../../outbox/webhook-statements";
import { routeToPool } from "../../routing/rules";
import { armSlaSoon } from "../../routing/sla-clock";
import type { Actor, Scope } from "../context";
import { liftErasedSuppression } from "../leads/lead-erasure";
import { type Lead, leadFromRow } from "../leads/lead-row";
import { decideOwner, type OwnerDecision } from "../routing/decide-owner";
import { handOverStatements, queuedAlertStatements, reopenedAlertStatements } from "../routing/hand-over";
import {
  cachedRouting,
  refreshRouting,
  rememberRouting,
  routingBeingRead,
  routingReadBack,
  shareRoutingRead,
} from "../routing/routing-cache";
import {
  defaultPoolId,
  type ExistingLeadRef,
  loadRoutingContext,
  queueWatchers,
  type RoutingContext,
} from "../routing/routing-context";
import { drainUnassigned } from "../routing/unassigned-queue";
import { CAPTURE_SQL } from "./capture-sql";
import {
  addressOf,
  collectIdentities,
  identitiesArg,
  identitySchema,
  LEGACY_IDENTITY_COLUMNS,
} from "./lead-identities";
import { type ScoringRules, scoreLead } from "./scoring";
import { getScoringRules } from "./scoring-rules";

const text = (max: number) => z.string().trim().max(max).optional();

/** What any channel hands to `captureLead` after translating its own payload. */
export const captureInputSchema = z.object({
  source: z.enum(LEAD_SOURCES),
  formId: z.string().optional(),
  name: text(200),
  email: text(254),
  phone: text(40),
  // The prospect's addresses on chat channels, in dedup precedence order (after phone and email): the same
  // (kind, address) within the workspace is the same lead, whatever the channel. See lead-identities.ts.
  identities: z.array(identitySchema).max(8).optional(),
  // Shorthands for the identities of kind "telegram", "whatsapp" (wa_id) and "whatsapp-user" (BSUID).
  telegramUserId: text(64),
  whatsappId: text(64),
  whatsappUserId: text(128),
  // The bot or number the prospect wrote to: its auto-reply goes out through the same one.
  channelId: text(64),
  message: text(5000),
  fields: z.record(z.string().max(64), z.string().max(2000)).default({}),
  utm: z
    .object({ source: text(200), medium: text(200), campaign: text(200), term: text(200), content: text(200) })
    .default({}),
  referrer: text(2048),
  pageUrl: text(2048),
  // At-least-once channels pass their delivery id: a replay records nothing new.
  dedupKey: text(200),
  // What the channel received beyond the lead's columns (a WhatsApp message's type, media id, raw object),
  // kept on the timeline event so nothing the prospect sent is lost.
  channelData: z.record(z.string(), z.unknown()).optional(),
  // A form's consent checkbox: its text as shown and the answer, recorded in the consent ledger.
  consent: z.object({ text: z.string().max(500), given: z.boolean() }).optional(),
});

export type CaptureInput = z.input<typeof captureInputSchema>;

/** What `POST /api/v1/leads` may set: the channel, form and delivery ids are the transports' own. */
export const ApiCaptureInput = captureInputSchema
  .pick({ name: true, email: true, phone: true, message: true, fields: true, utm: true, referrer: true, pageUrl: true })
  .openapi("CaptureLead");

export interface CaptureResult {
  lead: Lead;
  /** false when the contact matched an existing lead of the workspace (a re-inquiry). */
  created: boolean;
  /** false when `dedupKey` had been seen already: nothing was written. */
  recorded: boolean;
  assignment: OwnerDecision;
}

export interface CaptureOptions extends Scope {
  actor: Actor;
  scoring?: ScoringRules;
  /**
   * A back-fill (a CSV import the owner did not ask to announce): the lead is stored, routed and deduplicated as
   * always, but writes no message to anyone (no auto-reply, rep or queue alert, follow-up, webhook) and no SLA
   * deadline, so thousands of old leads do not page the team.
   */
  quiet?: boolean;
  /** A new lead goes to this active rep instead of the rotation (an import naming who already works it). */
  ownerRepId?: string | undefined;
  /**
   * The caller's own writes of this step, in the same batch (a webhook marking its message handled): run on every
   * attempt, so each must be idempotent and, if it should follow the inquiry, conditional on its recorded event.
   * The outbox rows they insert (`RETURNING id`) are sent with the capture's own, in one claim.
   */
  alsoWrite?: InStatement[] | undefined;
}

/**
 * The one verb every channel calls. Normalizes the contact; reads the routing context (one round trip)
 * and decides the owner (sticky owner, else the pool's rotation Durable Object); then dedups and writes
 * the lead with its owner and timeline events in a single atomic libSQL batch: the same phone, email or
 * chat identity within the workspace is the same lead and gets a `re-inquiry` event instead of a new row.
 */
export async function captureLead(
  { ctx, workspace, actor, scoring, quiet = false, ownerRepId, alsoWrite = [] }: CaptureOptions,
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
    fieldErrors.phone = "Not a valid phone number. Check the digits, or start with + and the country code.";
  }
  const emailRaw = blank(input.email);
  const email = emailRaw === null ? null : normalizeEmail(emailRaw);
  if (emailRaw !== null && email === null) fieldErrors.email = "Not a valid email address.";

  const identities = collectIdentities(input);
  if (Object.keys(fieldErrors).length > 0) throw AppError.validation(fieldErrors);
  if (!phone && !email && identities.length === 0) {
    throw AppError.validation({ contact: "A phone number or an email address is required." });
  }

  // Kinds that still have a column on `lead` get it filled too (named args :legacy0, :legacy1, … in capture-sql.ts).
  const legacyArgs = Object.fromEntries(
    Object.keys(LEGACY_IDENTITY_COLUMNS).map((kind, i) => [`legacy${i}`, addressOf(identities, kind)]),
  );

  // Routing is decided before the write so the lead is stored with its owner in the same batch. Scoring
  // rules and the routing context are cached per isolate (no round trip once warm); callers may pass rules.
  const contact = { phone, email, identities };
  const cached = cachedRouting(ctx, workspace.id) ?? (await routingBeingRead(workspace.id));
  const [rules, loaded] = await Promise.all([
    scoring ?? getScoringRules(ctx, workspace.id),
    cached ? null : shareRoutingRead(workspace.id, loadRoutingContext(ctx, workspace.id, contact)),
  ]).catch((err: unknown) => {
    throw toAppError(err);
  });

  /**
   * One decision and one write batch. `optimistic`: decided as for a new lead on the cached context, the batch
   * writes only a new lead, and only if routing did not change since that context was read; otherwise it
   * writes nothing and says what it found, the rotation's turn is handed back, and the caller tries again.
   */
  const attempt = async ({ routing, existing, version, optimistic }: RoutingPlan): Promise<Attempt> => {
    const now = ctx.now();
    const leadId = newId("lead", now);
    const eventId = newId("evt", now);
    const assignEventId = newId("evt", now);
    // Scored in JS before the batch, and before routing so a hot lead gets the pool's shorter SLA. A new
    // lead is scored on what it sent; for a re-inquiry the batch keeps the higher of its stored score and
    // this inquiry's with the engagement bonus (a lower bound: the merged row is only known inside the batch).
    const scoreInput = {
      name: blank(input.name),
      email,
      phone,
      whatsappId: addressOf(identities, "whatsapp"),
      source: input.source,
      utmSource: input.utm.source,
      utmMedium: input.utm.medium,
      fields: input.fields,
      lastInboundAt: now,
    };
    const fresh = scoreLead(scoreInput, rules, now);
    const again = scoreLead({ ...scoreInput, replied: true }, rules, now);
    const { poolId } = routeToPool(
      routing.rules,
      {
        source: input.source,
        formId: input.formId ?? null,
        country: phone ? phoneCountry(phone) : null,
        phone,
        fields: input.fields,
      },
      defaultPoolId(routing),
    );
    // A won or lost lead that writes again: a new inquiry (routed, alerted, SLA from now) unless the workspace
    // keeps it.
    const reopen =
      existing !== null &&
      (existing.status === "won" || existing.status === "lost") &&
      routing.reInquiryPolicy === "reopen";
    const reopenEventId = newId("evt", now);
    const decision = await decideOwner(ctx, {
      workspaceId: workspace.id,
      routing,
      poolId,
      // A new lead's own id keys the rotation; a returning lead re-routed is keyed by this delivery.
      assignmentKey: existing ? `${existing.id}:re:${blank(input.dedupKey) ?? eventId}` : leadId,
      now,
      stickyRepId: existing?.ownerRepId ?? null,
      namedRepId: existing ? null : ownerRepId,
      exclude: new Set(reopen ? [] : (existing?.passedRepIds ?? [])),
      hot: existing ? again.hot : fresh.hot,
    });
    // For a returning lead: the owner to set when it changes (null = keep whoever owns it).
    const reOwner = existing && !reopen && decision.ownerRepId !== existing.ownerRepId ? decision.ownerRepId : null;

    const args = {
      ws: workspace.id,
      id: leadId,
      phone,
      email,
      ids: identitiesArg(identities),
      ...legacyArgs,
      name: blank(input.name),
      now,
      fields: JSON.stringify(input.fields),
      owner: decision.ownerRepId,
      reOwner,
      pool: decision.poolId,
      slaDue: quiet ? null : decision.slaDueAt,
      dedupKey: blank(input.dedupKey),
      reopen: reopen ? 1 : 0,
      optimistic: optimistic ? 1 : 0,
      routingVersion: version,
    };
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
      ...(input.channelData ? { channelData: input.channelData } : {}),
    };
    const assignData = JSON.stringify({
      repId: decision.ownerRepId,
      poolId: decision.poolId,
      reason: decision.reason,
      ...(Object.keys(decision.skipped).length ? { skipped: decision.skipped } : {}),
    });

    // Auto-reply and sequence enrolment ride in the same batch (see capture-statements.ts).
    const outbox = captureOutboxStatements(ctx.config, ctx.channels, {
      ws: workspace.id,
      leadId,
      source: input.source,
      formId: input.formId ?? null,
      poolId: decision.poolId,
      email,
      now,
      phone,
      channelId: blank(input.channelId),
      ownerRepId: decision.ownerRepId,
      // As for webhooks below: on a current cached context the rep's addresses are known.
      ownerUnreachable: optimistic && !!decision.ownerRepId && routing.unreachableRepIds.has(decision.ownerRepId),
      alert: { name: args.name, phone, email, message: blank(input.message), score: fresh.score, hot: fresh.hot },
    });

    const leadFacts = { name: args.name, phone, email, source: input.source };
    const announced = [
      // Nobody can take the new lead: it waits in the unassigned queue and the workspace owner hears of it.
      ...(!decision.ownerRepId
        ? queuedAlertStatements({
            channels: ctx.channels,
            ws: workspace.id,
            lead: { id: leadId, ...leadFacts },
            watcherRepIds: queueWatchers(routing),
            now,
          })
        : []),
      // A returning lead moved on from an owner who is gone: its new owner is alerted like any hand-over.
      ...(existing && reOwner && existing.ownerRepId
        ? handOverStatements({
            channels: ctx.channels,
            ws: workspace.id,
            lead: { id: existing.id, ...leadFacts },
            repId: reOwner,
            reason: "owner-gone",
            key: `alert:${existing.id}:${assignEventId}`,
            now,
            condition: `EXISTS (SELECT 1 FROM lead_event WHERE id = :handOverEvent AND lead_id = :leadId)`,
            conditionArgs: { handOverEvent: assignEventId },
          })
        : []),
      ...(existing && reopen
        ? reopenedAlertStatements({
            channels: ctx.channels,
            ws: workspace.id,
            lead: { id: existing.id, ...leadFacts },
            repId: decision.ownerRepId,
            watcherRepIds: queueWatchers(routing),
            eventId: reopenEventId,
            now,
          })
        : []),
    ];
    // A quiet capture announces nothing: no outbox row at all.
    const handOvers = quiet ? [] : announced;
    // Outgoing webhooks of a new lead: created, and assigned when routing found an owner. On a current cached
    // context (optimistic) the endpoints' events are known: routing_version moves when endpoints change, and then
    // this batch writes nothing; so an event no endpoint takes is left out rather than sent to match no row.
    const hooked = (type: WebhookEventType) => !quiet && (!optimistic || routing.webhookEvents.has(type));
    const webhooks = [
      ...(hooked("lead.created")
        ? [webhookStatement({ ws: workspace.id, leadId, type: "lead.created", eventId, now })]
        : []),
      ...(hooked("lead.assigned")
        ? [
            webhookStatement({
              ws: workspace.id,
              leadId,
              type: "lead.assigned",
              eventId: assignEventId,
              now,
              extraData: `'repId', l.owner_rep_id, 'previousRepId', NULL`,
              condition: "l.owner_rep_id IS NOT NULL",
            }),
          ]
        : []),
    ];
    const messages = quiet ? { statements: [], outboxIndexes: [] } : outbox;
    let rows: Row[] | undefined;
    let outboxIds: string[] = [];
    let after: ReturnType<typeof refreshRouting> = null;
    try {
      // The lead, its events and identities, then its read-back. A statement that cannot act in this attempt is
      // left out (its own condition is false: no owner change, no reopening, an optimistic new lead writes no
      // update), which spares the server three statements on a new lead's batch.
      const writes = [
        stmt(CAPTURE_SQL.insertLead, {
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
        }),
        ...(reOwner !== null ? [stmt(CAPTURE_SQL.reassignedEvent, { ...args, assignEventId, assignData })] : []),
        ...(reopen ? [stmt(CAPTURE_SQL.reopenedEvent, { ...args, reopenEventId, reason: decision.reason })] : []),
        ...(optimistic
          ? []
          : [
              stmt(CAPTURE_SQL.updateLead, {
                ...args,
                score: again.score,
                reasons: JSON.stringify(again.reasons),
                hot: again.hot ? 1 : 0,
              }),
            ]),
        stmt(CAPTURE_SQL.inquiryEvent, {
          ...args,
          eventId,
          actorType: actor.type,
          actorId: actor.id ?? null,
          data: JSON.stringify(eventData),
        }),
        stmt(CAPTURE_SQL.assignedEvent, { ...args, assignEventId, assignData }),
        stmt(CAPTURE_SQL.attachIdentities, { ...args, eventId }),
      ];
      const readBackAt = writes.length;
      const results = await ctx.database.client.batch(
        [
          ...writes,
          stmt(CAPTURE_SQL.readBack, { ...args, eventId }),
          ...messages.statements,
          ...webhooks,
          ...handOvers,
          // Last, so the result indexes above stay put; only a recorded (not replayed) inquiry answers.
          ...(input.consent
            ? [
                stmt(
                  `INSERT INTO consent_event (id, workspace_id, lead_id, action, source, text, created_at)
                SELECT :cid, :ws, lead_id, :action, 'form', :text, :now FROM lead_event WHERE id = :eventId`,
                  {
                    cid: newId("cns", now),
                    ws: workspace.id,
                    eventId,
                    now,
                    text: input.consent.text,
                    action: input.consent.given ? "consent_given" : "consent_declined",
                  },
                ),
              ]
            : []),
          // Last, so the indexes above stay put: a person who writes again may be answered again.
          ...(actor.type === "prospect"
            ? [
                liftErasedSuppression(workspace.id, [
                  ...(email ? [email] : []),
                  ...(phone ? [phone] : []),
                  ...identities.map((i) => i.address),
                ]),
              ]
            : []),
          ...alsoWrite,
          // Last: the routing version and open-lead counts after this write, for the next capture's decision.
          ...routingReadBack(workspace.id),
        ],
        "write",
      );
      rows = results[readBackAt]?.rows;
      after = refreshRouting(ctx, workspace.id, version, [results.at(-2)?.rows, results.at(-1)?.rows]);
      const webhookAt = readBackAt + 1 + messages.statements.length;
      // The caller's writes sit just before the routing read-back (the last two); their outbox rows go out too.
      const alsoAt = results.length - 2 - alsoWrite.length;
      outboxIds = [
        ...returnedIds(results, [
          ...messages.outboxIndexes.map((i) => readBackAt + 1 + i),
          ...[...webhooks, ...handOvers].map((_, i) => webhookAt + i),
        ]),
        ...insertedIds(results.slice(alsoAt, alsoAt + alsoWrite.length)),
      ];
    } catch (err) {
      throw toAppError(err);
    }
    let row = rows?.[0];
    if (optimistic && !(row && Number(row.created) === 1)) {
      // Not a new lead after all (a known contact, a replay), or routing changed meanwhile: nothing was written.
      if (decision.reason === "rotation") {
        await ctx.rotation.release(workspace.id, decision.poolId, leadId).catch((err: unknown) => {
          throw toAppError(err);
        });
      }
      const found = row ? existingRef(row) : null;
      return { result: null, retry: after && found ? { ...after, existing: found, optimistic: false } : null };
    }
    if (!row) throw new AppError("INTERNAL", "Capture batch returned no lead row.");
    sendSoon(ctx, outboxIds);
    armSlaSoon(ctx, workspace.id, row.sla_due_at === null ? null : Number(row.sla_due_at));
    // The rep the rotation offered reached their cap before this write: the lead joined the queue; place it now.
    const reopened = reopen && row.status === "new" && Number(row.recorded) === 1;
    if (decision.ownerRepId && (Number(row.created) === 1 || reopened) && row.owner_rep_id === null) {
      await drainUnassigned(ctx, workspace.id).catch((err: unknown) => {
        throw toAppError(err);
      });
      const placed = await ctx.database.client.execute({
        sql: `SELECT *, ? AS created, 1 AS recorded FROM lead WHERE id = ?`,
        args: [Number(row.created), String(row.id)],
      });
      row = placed.rows[0] ?? row;
    }
    return {
      result: {
        lead: leadFromRow(row),
        created: Number(row.created) === 1,
        recorded: Number(row.recorded) === 1,
        assignment: decision,
      },
      retry: null,
    };
  };

  if (cached) {
    const first = await attempt({ ...cached, existing: null, optimistic: true });
    if (first.result) return first.result;
    // A known contact on a current context goes straight to its write; a changed context is read again.
    if (first.retry) return (await attempt(first.retry)).result!;
  }
  const fresh =
    loaded ??
    (await loadRoutingContext(ctx, workspace.id, contact).catch((err: unknown) => {
      throw toAppError(err);
    }));
  rememberRouting(ctx, workspace.id, fresh.routing, fresh.version);
  const done = await attempt({ ...fresh, optimistic: false });
  return done.result!;
}

interface RoutingPlan {
  routing: RoutingContext;
  existing: ExistingLeadRef | null;
  version: number;
  optimistic: boolean;
}

interface Attempt {
  result: CaptureResult | null;
  /** What to try next when an optimistic attempt wrote nothing: null = read the routing context again. */
  retry: RoutingPlan | null;
}

/** The returning lead the optimistic batch found, as the routing read would have. */
function existingRef(row: Row): ExistingLeadRef {
  return {
    id: String(row.id),
    ownerRepId: row.owner_rep_id === null ? null : String(row.owner_rep_id),
    reassignCount: Number(row.reassign_count ?? 0),
    passedRepIds: JSON.parse(String(row.passed_rep_ids ?? "[]")) as string[],
    status: String(row.status),
  };
}
