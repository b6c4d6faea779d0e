import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { POOL_STRATEGIES, pool, poolMember, rep } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import type { Scope } from "../context";
import type { Pool } from "./routing-context";

export const PoolInput = z.object({
  name: z.string().trim().min(1).max(120),
  isDefault: z.boolean().optional(),
  slaMinutes: z.number().int().min(1).max(10_080).optional(),
  hotSlaMinutes: z.number().int().min(1).max(10_080).optional(),
  maxReassignments: z.number().int().min(0).max(20).optional(),
  fallbackRepId: z.string().max(64).nullish(),
  strategy: z
    .enum(POOL_STRATEGIES)
    .optional()
    .openapi({ description: "weighted round robin, or fewest open leads first" }),
  escalationRepIds: z.array(z.string().max(64)).max(20).optional(),
  repIds: z.array(z.string().max(64)).max(500).optional(),
});
export type PoolInput = z.infer<typeof PoolInput>;

export type PoolWithMembers = Pool & { repIds: string[] };

async function checkReps({ ctx, workspace }: Scope, input: Partial<PoolInput>) {
  const wanted = [
    ...new Set([
      ...(input.repIds ?? []),
      ...(input.escalationRepIds ?? []),
      ...(input.fallbackRepId ? [input.fallbackRepId] : []),
    ]),
  ];
  if (wanted.length === 0) return;
  const found = await ctx.database.db
    .select({ id: rep.id })
    .from(rep)
    .where(and(eq(rep.workspaceId, workspace.id), inArray(rep.id, wanted)))
    .all();
  const known = new Set(found.map((r) => r.id));
  const missing = (input.repIds ?? []).findIndex((id) => !known.has(id));
  if (missing >= 0) throw AppError.validation({ [`repIds.${missing}`]: "No such rep in this workspace." });
  const badChain = (input.escalationRepIds ?? []).findIndex((id) => !known.has(id));
  if (badChain >= 0) throw AppError.validation({ [`escalationRepIds.${badChain}`]: "No such rep in this workspace." });
  if (input.fallbackRepId && !known.has(input.fallbackRepId))
    throw AppError.validation({ fallbackRepId: "No such rep in this workspace." });
}

export async function listPools({ ctx, workspace }: Scope): Promise<PoolWithMembers[]> {
  const { db } = ctx.database;
  const [pools, members] = await db.batch([
    db.select().from(pool).where(eq(pool.workspaceId, workspace.id)).orderBy(asc(pool.createdAt)),
    db.select().from(poolMember).where(eq(poolMember.workspaceId, workspace.id)),
  ]);
  return pools.map((p) => ({ ...p, repIds: members.filter((m) => m.poolId === p.id).map((m) => m.repId) }));
}

export async function getPool(scope: Scope, id: string): Promise<PoolWithMembers> {
  const found = (await listPools(scope)).find((p) => p.id === id);
  if (!found) throw AppError.notFound("Pool");
  return found;
}

/** Writes the pool, its member list and the single-default invariant in one batch. */
async function writePool(
  scope: Scope,
  id: string,
  values: Partial<typeof pool.$inferInsert>,
  input: Partial<PoolInput>,
  isNew: boolean,
) {
  const { db } = scope.ctx.database;
  const ws = scope.workspace.id;
  const { repIds, ...columns } = input;
  const statements = [
    isNew
      ? db.insert(pool).values({ ...(values as typeof pool.$inferInsert), ...columns })
      : db
          .update(pool)
          .set({ ...values, ...columns })
          .where(and(eq(pool.workspaceId, ws), eq(pool.id, id))),
    ...(input.isDefault
      ? [
          db
            .update(pool)
            .set({ isDefault: false })
            .where(and(eq(pool.workspaceId, ws), ne(pool.id, id))),
        ]
      : []),
    ...(repIds
      ? [
          db.delete(poolMember).where(and(eq(poolMember.workspaceId, ws), eq(poolMember.poolId, id))),
          ...(repIds.length
            ? [
                db
                  .insert(poolMember)
                  .values([...new Set(repIds)].map((repId) => ({ poolId: id, repId, workspaceId: ws }))),
              ]
            : []),
        ]
      : []),
  ];
  await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
}

export async function createPool(scope: Scope, input: PoolInput): Promise<PoolWithMembers> {
  await checkReps(scope, input);
  const now = scope.ctx.now();
  const id = newId("pool", now);
  await writePool(
    scope,
    id,
    { id, workspaceId: scope.workspace.id, name: input.name, createdAt: now, updatedAt: now },
    input,
    true,
  );
  return getPool(scope, id);
}

export async function updatePool(scope: Scope, id: string, input: Partial<PoolInput>): Promise<PoolWithMembers> {
  await getPool(scope, id);
  await checkReps(scope, input);
  await writePool(scope, id, { updatedAt: scope.ctx.now() }, input, false);
  return getPool(scope, id);
}

export async function deletePool({ ctx, workspace }: Scope, id: string): Promise<void> {
  const row = await ctx.database.db
    .delete(pool)
    .where(and(eq(pool.workspaceId, workspace.id), eq(pool.id, id)))
    .returning({ id: pool.id })
    .get();
  if (!row) throw AppError.notFound("Pool");
}
