import type { InStatement, Row } from "@libsql/client/web";
import { and, asc, eq } from "drizzle-orm";
import { type ChannelConfig, type ChannelKind, channel } from "../../../db/schema";
import type { DomainContext, Scope, WorkspaceRef } from "../context";

/** A connected channel of one kind, with its config as that kind keeps it. */
export interface ChannelRow<C extends ChannelConfig> {
  id: string;
  workspaceId: string;
  config: C;
  createdAt: number;
}

/** A workspace's channels of one kind, oldest first (the first is the default sender of its kind). */
export async function listChannelRows<C extends ChannelConfig>(
  { ctx, workspace }: Scope,
  kind: ChannelKind,
): Promise<ChannelRow<C>[]> {
  const rows = await ctx.database.db
    .select()
    .from(channel)
    .where(and(eq(channel.workspaceId, workspace.id), eq(channel.kind, kind)))
    .orderBy(asc(channel.createdAt))
    .all();
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspaceId, config: r.config as C, createdAt: r.createdAt }));
}

/**
 * A webhook's lookup: the channel by id alone (the secret or signature in the request proves the rest),
 * with its workspace; null when unknown, of another kind, or missing what its webhook needs (`complete`).
 */
export async function findChannelRow<C extends ChannelConfig>(
  ctx: DomainContext,
  id: string,
  kind: ChannelKind,
  complete: (config: C) => boolean,
): Promise<FoundChannel<C> | null> {
  const rs = await ctx.database.client.execute(channelRowStatement(id, kind));
  return foundChannel(rs.rows[0], complete);
}

export interface FoundChannel<C extends ChannelConfig> {
  channel: { id: string; workspaceId: string; config: C };
  workspace: WorkspaceRef;
}

/** The statement of `findChannelRow`, for a hook that reads more in the same round trip. */
export function channelRowStatement(id: string, kind: ChannelKind): InStatement {
  return {
    sql: `SELECT c.id, c.workspace_id, c.config, w.default_country FROM channel c JOIN workspace w
          ON w.id = c.workspace_id
          WHERE c.id = ? AND c.kind = ?`,
    args: [id, kind],
  };
}

/** Its row as `findChannelRow` answers. */
export function foundChannel<C extends ChannelConfig>(
  row: Row | undefined,
  complete: (config: C) => boolean,
): FoundChannel<C> | null {
  if (!row) return null;
  const config = JSON.parse(String(row.config)) as C;
  if (!complete(config)) return null;
  return {
    channel: { id: String(row.id), workspaceId: String(row.workspace_id), config },
    workspace: { id: String(row.workspace_id), defaultCountry: String(row.default_country) },
  };
}
