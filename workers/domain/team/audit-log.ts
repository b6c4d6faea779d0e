import { z } from "@hono/zod-openapi";
import { and, desc, eq, lt } from "drizzle-orm";
import { auditEvent } from "../../../db/schema";
import { newId } from "../../lib/ids";
import type { DomainContext } from "../context";
import { actorNames } from "./actor-names";

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
}

export interface AuditEventView extends AuditEntry {
  id: string;
  actor: { type: "person" | "api"; id: string; name: string | null };
  createdAt: number;
}

/** One settings change: who (person or key), what kind of change, on which resource. */
export async function recordAudit(
  ctx: DomainContext,
  workspaceId: string,
  actor: { type: "person" | "api"; id: string },
  entry: AuditEntry,
) {
  const now = ctx.now();
  await ctx.database.db.insert(auditEvent).values({
    id: newId("aud", now),
    workspaceId,
    actorType: actor.type,
    actorId: actor.id,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    createdAt: now,
  });
}

export const AuditPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional().openapi({ description: "`nextCursor` of the previous page" }),
});

/** A page of the workspace's changes, newest first, each actor named; `nextCursor` is null on the last page. */
export async function listAudit(
  ctx: DomainContext,
  workspaceId: string,
  page: z.output<typeof AuditPageQuery>,
): Promise<{ data: AuditEventView[]; nextCursor: string | null }> {
  const { db } = ctx.database;
  const where = page.cursor
    ? and(eq(auditEvent.workspaceId, workspaceId), lt(auditEvent.id, page.cursor))
    : eq(auditEvent.workspaceId, workspaceId);
  const [rows, names] = await Promise.all([
    db
      .select()
      .from(auditEvent)
      .where(where)
      .orderBy(desc(auditEvent.id))
      .limit(page.limit + 1),
    actorNames(ctx, workspaceId),
  ]);
  const data = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    actor: { type: r.actorType as "person" | "api", id: r.actorId, name: names.get(r.actorId) ?? null },
    action: r.action,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    createdAt: r.createdAt,
  }));
  return { data, nextCursor: rows.length > page.limit ? data[data.length - 1]!.id : null };
}
