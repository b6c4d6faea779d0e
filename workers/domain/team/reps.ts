import { z } from "@hono/zod-openapi";
import { and, asc, eq, gt, inArray, notExists } from "drizzle-orm";
import { lead, rep, repOpenLeads } from "../../../db/schema";
import { AppError } from "../../errors";
import { normalizeEmail, normalizePhone } from "../../lib/contact";
import { newId } from "../../lib/ids";
import type { DomainContext, Scope } from "../context";
import { TimeZone, VacationSchema, WorkingHoursSchema } from "../input-fields";
import { reassignLead } from "../routing/reassign";
import { loadRoutingContext, OPEN_STATUSES } from "../routing/routing-context";
import { drainUnassigned } from "../routing/unassigned-queue";

export type Rep = typeof rep.$inferSelect;

export const RepInput = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().max(254).nullish(),
  phone: z.string().trim().max(40).nullish(),
  telegramChatId: z
    .string()
    .trim()
    .regex(/^-?\d{1,20}$/, "A numeric Telegram chat id.")
    .nullish(),
  whatsappPhone: z.string().trim().max(40).nullish(),
  active: z.boolean().optional(),
  paused: z.boolean().optional(),
  weight: z.number().int().min(0).max(100).optional(),
  maxOpenLeads: z.number().int().min(0).max(100_000).nullish(),
  timezone: TimeZone.nullish(),
  workingHours: WorkingHoursSchema.nullish(),
  vacations: z.array(VacationSchema).max(50).optional(),
});
export type RepInput = z.infer<typeof RepInput>;

function normalizeContacts(input: Partial<RepInput>, defaultCountry: string): Partial<RepInput> {
  const out = { ...input };
  const errors: Record<string, string> = {};
  for (const key of ["phone", "whatsappPhone"] as const) {
    const value = input[key];
    if (value) {
      const e164 = normalizePhone(value, defaultCountry);
      if (e164) out[key] = e164;
      else errors[key] = "Not a valid phone number.";
    }
  }
  if (input.email) {
    const email = normalizeEmail(input.email);
    if (email) out.email = email;
    else errors.email = "Not a valid email address.";
  }
  if (Object.keys(errors).length > 0) throw AppError.validation(errors);
  return out;
}

/** A rep id given as input must belong to the workspace; otherwise a 422 naming the field. */
export async function requireWorkspaceRep(
  ctx: DomainContext,
  workspaceId: string,
  repId: string,
  field = "repId",
): Promise<void> {
  const found = await ctx.database.db
    .select({ id: rep.id })
    .from(rep)
    .where(and(eq(rep.workspaceId, workspaceId), eq(rep.id, repId)))
    .get();
  if (!found) throw AppError.validation({ [field]: "No such rep in this workspace." });
}

export async function listReps({ ctx, workspace }: Scope): Promise<Rep[]> {
  return ctx.database.db.select().from(rep).where(eq(rep.workspaceId, workspace.id)).orderBy(asc(rep.createdAt)).all();
}

export async function getRep({ ctx, workspace }: Scope, id: string): Promise<Rep> {
  const row = await ctx.database.db
    .select()
    .from(rep)
    .where(and(eq(rep.workspaceId, workspace.id), eq(rep.id, id)))
    .get();
  if (!row) throw AppError.notFound("Rep");
  return row;
}

export async function createRep({ ctx, workspace }: Scope, input: RepInput): Promise<Rep> {
  const now = ctx.now();
  const values = { ...normalizeContacts(input, workspace.defaultCountry), name: input.name };
  const row = await ctx.database.db
    .insert(rep)
    .values({ ...values, id: newId("rep", now), workspaceId: workspace.id, createdAt: now, updatedAt: now })
    .returning()
    .get();
  // A new rep may take what waits in the unassigned queue.
  await drainUnassigned(ctx, workspace.id);
  return row;
}

// Changes that can let a rep take more leads (or fewer, which the queue then respects).
const AVAILABILITY_FIELDS = [
  "active",
  "paused",
  "weight",
  "maxOpenLeads",
  "timezone",
  "workingHours",
  "vacations",
] as const;
// Open leads moved off a deactivated rep in one request, bounded to stay inside a Worker's limits.
const REDISTRIBUTE_BATCH = 500;

export async function updateRep({ ctx, workspace }: Scope, id: string, input: Partial<RepInput>): Promise<Rep> {
  const before = input.active === false ? await getRep({ ctx, workspace }, id) : null;
  const row = await ctx.database.db
    .update(rep)
    .set({
      ...normalizeContacts(input, workspace.defaultCountry),
      // A chat set by hand was not linked through a known bot: alerts use the workspace's first one.
      ...(input.telegramChatId !== undefined ? { telegramChannelId: null } : {}),
      updatedAt: ctx.now(),
    })
    .where(and(eq(rep.workspaceId, workspace.id), eq(rep.id, id)))
    .returning()
    .get();
  if (!row) throw AppError.notFound("Rep");
  if (before?.active && !row.active) await redistributeOpenLeads(ctx, workspace.id, id);
  if (AVAILABILITY_FIELDS.some((f) => input[f] !== undefined)) await drainUnassigned(ctx, workspace.id);
  return row;
}

/**
 * Removes a rep who owns no open lead (closed leads keep their history, owner cleared by the foreign key).
 * A rep with open leads is refused, in the same statement, so no lead is left owned by nobody unnoticed.
 */
export async function deleteRep({ ctx, workspace }: Scope, id: string): Promise<void> {
  const db = ctx.database.db;
  // The count the triggers keep (rep_open_leads), written in the same transaction as every lead write.
  const openLeads = db
    .select({ n: repOpenLeads.openLeads })
    .from(repOpenLeads)
    .where(and(eq(repOpenLeads.repId, id), gt(repOpenLeads.openLeads, 0)));
  const gone = await db
    .delete(rep)
    .where(and(eq(rep.workspaceId, workspace.id), eq(rep.id, id), notExists(openLeads)))
    .returning({ id: rep.id })
    .get();
  if (gone) return;
  await getRep({ ctx, workspace }, id);
  throw new AppError("CONFLICT", "This rep still owns open leads: reassign them or pause the rep instead.");
}

/**
 * A deactivated rep's open leads go back through the rotation, each to the next eligible rep (who is
 * alerted like any hand-over) or, when nobody can take it, along the escalation chain or into the queue.
 */
async function redistributeOpenLeads(ctx: DomainContext, workspaceId: string, repId: string): Promise<void> {
  const open = await ctx.database.db
    .select()
    .from(lead)
    .where(and(eq(lead.workspaceId, workspaceId), eq(lead.ownerRepId, repId), inArray(lead.status, [...OPEN_STATUSES])))
    .orderBy(asc(lead.createdAt))
    .limit(REDISTRIBUTE_BATCH)
    .all();
  if (open.length === 0) return;
  const { routing } = await loadRoutingContext(ctx, workspaceId);
  for (const row of open) {
    const outcome = await reassignLead(ctx, row, {
      reason: "deactivated",
      actor: { type: "system" },
      now: ctx.now(),
      routing,
      hot: row.hot,
    });
    if (outcome.kind !== "unchanged" && outcome.toRepId) {
      routing.openLeads.set(outcome.toRepId, (routing.openLeads.get(outcome.toRepId) ?? 0) + 1);
    }
  }
}
