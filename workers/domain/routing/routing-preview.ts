import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { form, LEAD_SOURCES } from "../../../db/schema";
import { AppError } from "../../errors";
import { normalizeEmail, normalizePhone, phoneCountry } from "../../lib/contact";
import type { SkipReason } from "../../routing/availability";
import { routeToPool } from "../../routing/rules";
import type { DomainContext, WorkspaceRef } from "../context";
import { decideOwner, type OwnerDecision } from "./decide-owner";
import { defaultPoolId, loadRoutingContext } from "./routing-context";

/** A sample lead: what a capture would receive, minus what routing does not read. */
export const routingSampleSchema = z.object({
  source: z.enum(LEAD_SOURCES).default("form"),
  formId: z.string().max(64).optional(),
  phone: z.string().max(40).optional(),
  email: z.string().max(254).optional(),
  fields: z.record(z.string().max(64), z.string().max(2000)).default({}),
  hot: z.boolean().default(false).openapi({ description: "preview the hot SLA" }),
});
export type RoutingSample = z.input<typeof routingSampleSchema>;

export interface RoutingPreview {
  pool: { id: string | null; name: string };
  rule: { id: string; name: string } | null;
  /** the rep a capture would get now; null = it would wait in the unassigned queue */
  rep: { id: string; name: string } | null;
  reason: OwnerDecision["reason"];
  skipped: { repId: string; name: string; reason: SkipReason }[];
  /** a returning contact: the lead it matches, whose owner it goes back to when eligible */
  existingLeadId: string | null;
  slaMinutes: number;
}

/**
 * Where a lead like `sample` would go right now and why — pool, matched rule, chosen rep, each skipped rep
 * with its reason — through the same decision code as a capture, asking the rotation who is next without
 * advancing it. Nothing is written. The API route and the console's routing page both call this.
 */
export async function previewRouting(
  { ctx, workspace }: { ctx: DomainContext; workspace: WorkspaceRef },
  raw: RoutingSample,
): Promise<RoutingPreview> {
  const parsed = routingSampleSchema.safeParse(raw);
  if (!parsed.success)
    throw AppError.validation(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])));
  const sample = parsed.data;
  const phone = sample.phone ? normalizePhone(sample.phone, workspace.defaultCountry) : null;
  if (sample.phone && !phone)
    throw AppError.validation({
      phone: `Not a valid phone number (read with default country ${workspace.defaultCountry}).`,
    });
  const email = sample.email ? normalizeEmail(sample.email) : null;
  if (sample.email && !email) throw AppError.validation({ email: "Not a valid email address." });

  if (sample.formId) {
    // A rule may match on the form: only this workspace's forms are a meaningful sample.
    const found = await ctx.database.db
      .select({ id: form.id })
      .from(form)
      .where(and(eq(form.workspaceId, workspace.id), eq(form.id, sample.formId)))
      .get();
    if (!found) throw AppError.validation({ formId: "No such form in this workspace." });
  }
  const { routing, existing } = await loadRoutingContext(ctx, workspace.id, { phone, email });
  const { poolId, rule } = routeToPool(
    routing.rules,
    {
      source: sample.source,
      formId: sample.formId ?? null,
      country: phone ? phoneCountry(phone) : null,
      fields: sample.fields,
    },
    defaultPoolId(routing),
  );
  const now = ctx.now();
  const decision = await decideOwner(ctx, {
    workspaceId: workspace.id,
    routing,
    poolId,
    assignmentKey: "preview",
    now,
    stickyRepId: existing?.ownerRepId ?? null,
    exclude: new Set(existing?.passedRepIds ?? []),
    hot: sample.hot,
    dryRun: true,
  });
  const nameOf = (id: string) => routing.reps.find((r) => r.id === id)?.name ?? id;
  const pool = routing.pools.find((p) => p.id === decision.poolId);
  return {
    pool: { id: decision.poolId, name: pool?.name ?? "all reps (no pool)" },
    rule: rule ? { id: rule.id, name: rule.name } : null,
    rep: decision.ownerRepId ? { id: decision.ownerRepId, name: nameOf(decision.ownerRepId) } : null,
    reason: decision.reason,
    skipped: Object.entries(decision.skipped).map(([repId, reason]) => ({ repId, name: nameOf(repId), reason })),
    existingLeadId: existing?.id ?? null,
    slaMinutes: decision.slaDueAt === null ? 0 : Math.round((decision.slaDueAt - now) / 60_000),
  };
}
