import { z } from "@hono/zod-openapi";
import { and, asc, eq, isNull } from "drizzle-orm";
import { API_KEY_SCOPES, type ApiKeyScope, apiKey } from "../../../db/schema";
import { AppError } from "../../errors";
import { generateApiKey, hashApiKey } from "../../lib/api-key";
import { newId } from "../../lib/ids";
import type { Scope } from "../context";
import { canManage, type Principal } from "./principal";

type ApiKeyRow = typeof apiKey.$inferSelect;

/** A key as listed: never its hash; the secret itself exists only in the answer that created it. */
export function publicApiKey(k: ApiKeyRow) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scope: k.scope,
    createdAt: k.createdAt,
    createdBy: k.createdByPersonId
      ? { type: "person" as const, id: k.createdByPersonId }
      : k.createdByKeyId
        ? { type: "api" as const, id: k.createdByKeyId }
        : null,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}
export type PublicApiKey = ReturnType<typeof publicApiKey>;

function requireManager(by: Principal) {
  if (!canManage(by)) throw new AppError("FORBIDDEN", "Only the owner, an admin or a write key can manage API keys.");
}

export async function listApiKeys({ ctx, workspace }: Scope): Promise<PublicApiKey[]> {
  const rows = await ctx.database.db
    .select()
    .from(apiKey)
    .where(eq(apiKey.workspaceId, workspace.id))
    .orderBy(asc(apiKey.createdAt))
    .all();
  return rows.map(publicApiKey);
}

async function newKeyRow(ws: string, name: string, scope: ApiKeyScope, by: Principal, now: number) {
  const { key, prefix } = generateApiKey();
  const row: ApiKeyRow = {
    id: newId("key", now),
    workspaceId: ws,
    name,
    prefix,
    hash: await hashApiKey(key),
    scope,
    createdByPersonId: by.kind === "person" ? by.personId : null,
    createdByKeyId: by.kind === "key" ? by.keyId : null,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  return { row, key };
}

const keyName = z.string().trim().min(1).max(80);

export const ApiKeyInput = z.object({ name: keyName, scope: z.enum(API_KEY_SCOPES) });
export type ApiKeyInput = z.infer<typeof ApiKeyInput>;

/** A named, scoped key; the secret is in this answer only. */
export async function createApiKey({ ctx, workspace }: Scope, input: ApiKeyInput, by: Principal) {
  requireManager(by);
  const { row, key } = await newKeyRow(workspace.id, input.name, input.scope, by, ctx.now());
  await ctx.database.db.insert(apiKey).values(row);
  return { ...publicApiKey(row), key };
}

async function liveKey({ ctx, workspace }: Scope, id: string): Promise<ApiKeyRow> {
  const row = await ctx.database.db
    .select()
    .from(apiKey)
    .where(and(eq(apiKey.workspaceId, workspace.id), eq(apiKey.id, id)))
    .get();
  if (!row) throw AppError.notFound("API key");
  return row;
}

/** Revoked at once: the key is looked up on every request, so the next one with it gets 401. */
export async function revokeApiKey(s: Scope, id: string, by: Principal): Promise<PublicApiKey> {
  requireManager(by);
  const row = await liveKey(s, id);
  if (row.revokedAt !== null) return publicApiKey(row);
  const updated = await s.ctx.database.db
    .update(apiKey)
    .set({ revokedAt: s.ctx.now() })
    .where(and(eq(apiKey.workspaceId, s.workspace.id), eq(apiKey.id, id), isNull(apiKey.revokedAt)))
    .returning()
    .get();
  return publicApiKey(updated ?? { ...row, revokedAt: s.ctx.now() });
}

export const ApiKeyRotateInput = z.object({ name: keyName.optional().openapi({ description: "rename it too" }) });

/** A new secret under the same scope (and name, unless given), and the old one revoked, in one batch. */
export async function rotateApiKey(s: Scope, id: string, by: Principal, name?: string) {
  requireManager(by);
  const old = await liveKey(s, id);
  if (old.revokedAt !== null) throw new AppError("CONFLICT", "This key is revoked; create a new one instead.");
  const now = s.ctx.now();
  const { row, key } = await newKeyRow(s.workspace.id, name ?? old.name, old.scope, by, now);
  const { db } = s.ctx.database;
  const [revoked] = await db.batch([
    db
      .update(apiKey)
      .set({ revokedAt: now })
      .where(and(eq(apiKey.id, id), isNull(apiKey.revokedAt)))
      .returning({ id: apiKey.id }),
    db.insert(apiKey).values(row),
  ]);
  // Rotated twice at once: the first batch revoked it; undo this second key rather than leave two live copies.
  if (revoked.length === 0) {
    await db.delete(apiKey).where(eq(apiKey.id, row.id));
    throw new AppError("CONFLICT", "This key was just revoked or rotated.");
  }
  return { ...publicApiKey(row), key, replaces: id };
}
