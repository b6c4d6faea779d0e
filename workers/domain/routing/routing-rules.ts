import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { form, LEAD_SOURCES, pool, type RuleMatch, routingRule } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import type { Scope } from "../context";
import type { RoutingRule } from "./routing-context";

const Criteria = z.object({
  sources: z.array(z.enum(LEAD_SOURCES)).max(10).optional(),
  formIds: z.array(z.string().max(64)).max(100).optional(),
  countries: z
    .array(z.string().regex(/^[A-Za-z]{2}$/, "ISO alpha-2 country code."))
    .max(250)
    .optional(),
  fields: z.record(z.string().max(64), z.array(z.string().max(200)).min(1).max(100)).optional(),
  regions: z
    .array(z.string().trim().min(1).max(100))
    .max(200)
    .optional()
    .openapi({
      description:
        "form field region/state/province; without one, the state or province of a US or Canadian phone " +
        "number (code or name, e.g. CA or California)",
    }),
  postalPrefixes: z
    .array(z.string().trim().min(1).max(12))
    .max(500)
    .optional()
    .openapi({ description: "form field zip/postal_code/postcode" }),
});

export const RuleMatchSchema = Criteria.extend({
  any: z.array(Criteria).max(20).optional().openapi({ description: "OR-groups: one of them must match in full too" }),
}).openapi("RuleMatch", { description: "all listed criteria must match; any value within one criterion" });

export const RuleInput = z.object({
  name: z.string().trim().min(1).max(120),
  position: z.number().int().min(0).max(1_000_000).optional(),
  match: RuleMatchSchema,
  poolId: z.string().max(64),
});
export type RuleInput = z.infer<typeof RuleInput>;

/** The pool and any forms a rule names must be the caller's (422 on the field), checked in one round trip. */
async function checkRefs(
  { ctx, workspace }: Scope,
  input: { poolId?: string | undefined; match?: RuleMatch | undefined },
) {
  const formIds = input.match?.formIds ?? [];
  if (!input.poolId && formIds.length === 0) return;
  const { db } = ctx.database;
  const [pools, forms] = await db.batch([
    db
      .select({ id: pool.id })
      .from(pool)
      .where(and(eq(pool.workspaceId, workspace.id), eq(pool.id, input.poolId ?? ""))),
    db
      .select({ id: form.id })
      .from(form)
      .where(and(eq(form.workspaceId, workspace.id), inArray(form.id, formIds.length ? formIds : [""]))),
  ]);
  const errors: Record<string, string> = {};
  if (input.poolId && pools.length === 0) errors.poolId = "No such pool in this workspace.";
  const known = new Set(forms.map((f) => f.id));
  const missing = formIds.findIndex((id) => !known.has(id));
  if (missing >= 0) errors[`match.formIds.${missing}`] = "No such form in this workspace.";
  if (Object.keys(errors).length > 0) throw AppError.validation(errors);
}

export async function listRules({ ctx, workspace }: Scope): Promise<RoutingRule[]> {
  return ctx.database.db
    .select()
    .from(routingRule)
    .where(eq(routingRule.workspaceId, workspace.id))
    .orderBy(asc(routingRule.position), asc(routingRule.id))
    .all();
}

export async function createRule(scope: Scope, input: RuleInput): Promise<RoutingRule> {
  await checkRefs(scope, input);
  const now = scope.ctx.now();
  const { db } = scope.ctx.database;
  // Appended after the last rule unless a position is given.
  const position =
    input.position ??
    Number(
      (
        await db
          .select({ max: sql<number>`coalesce(max(${routingRule.position}), 0)` })
          .from(routingRule)
          .where(eq(routingRule.workspaceId, scope.workspace.id))
          .get()
      )?.max ?? 0,
    ) + 10;
  return db
    .insert(routingRule)
    .values({
      ...input,
      position,
      id: newId("rule", now),
      workspaceId: scope.workspace.id,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
}

export async function updateRule(scope: Scope, id: string, input: Partial<RuleInput>): Promise<RoutingRule> {
  await checkRefs(scope, input);
  const row = await scope.ctx.database.db
    .update(routingRule)
    .set({ ...input, updatedAt: scope.ctx.now() })
    .where(and(eq(routingRule.workspaceId, scope.workspace.id), eq(routingRule.id, id)))
    .returning()
    .get();
  if (!row) throw AppError.notFound("Routing rule");
  return row;
}

export async function deleteRule({ ctx, workspace }: Scope, id: string): Promise<void> {
  const row = await ctx.database.db
    .delete(routingRule)
    .where(and(eq(routingRule.workspaceId, workspace.id), eq(routingRule.id, id)))
    .returning({ id: routingRule.id })
    .get();
  if (!row) throw AppError.notFound("Routing rule");
}
