import type { Row } from "@libsql/client/web";
import { stmt } from "../../lib/statement";
import type { DomainContext } from "../context";
import type { RoutingContext } from "./routing-context";

/**
 * The routing context each workspace's captures last saw in this isolate, with the `routing_version` it was read
 * at. Capture decides with it and writes only while the version is unchanged (ROUTING_UNCHANGED inside the
 * write), so a cached context can cost a retry but never a decision on reps, pools or rules that changed.
 * Open-lead counts are refreshed by every capture's write batch; caps are enforced inside the write anyway.
 */
const cache = new Map<string, { expires: number; version: number; routing: RoutingContext }>();

/** SQL: the workspace's routing version now (0 before anything routing reads was written). */
export const ROUTING_VERSION = `COALESCE((SELECT version FROM routing_version WHERE workspace_id = :ws), 0)`;
/** SQL: true while the routing context read at `:routingVersion` is still current. */
export const ROUTING_UNCHANGED = `${ROUTING_VERSION} = :routingVersion`;

export function cachedRouting(
  ctx: DomainContext,
  workspaceId: string,
): { routing: RoutingContext; version: number } | null {
  const hit = cache.get(workspaceId);
  if (!hit || hit.expires <= ctx.now()) return null;
  return { routing: hit.routing, version: hit.version };
}

// Reads of a workspace's routing context under way in this isolate.
const loading = new Map<string, Promise<{ routing: RoutingContext; version: number }>>();

/**
 * A routing read started for `workspaceId`, noted so that captures arriving while it runs wait for it
 * (`routingBeingRead`) instead of each reading the whole context again: an isolate's first captures, arriving
 * together, cost one read, not one each.
 */
export function shareRoutingRead<T extends { routing: RoutingContext; version: number }>(
  workspaceId: string,
  read: Promise<T>,
): Promise<T> {
  loading.set(workspaceId, read);
  const forget = () => loading.get(workspaceId) === read && loading.delete(workspaceId);
  read.then(forget, forget);
  return read;
}

/** The routing context another capture of this isolate is reading now, once read; null when none is (or it failed). */
export async function routingBeingRead(
  workspaceId: string,
): Promise<{ routing: RoutingContext; version: number } | null> {
  const read = loading.get(workspaceId);
  if (!read) return null;
  try {
    const { routing, version } = await read;
    return { routing, version };
  } catch {
    return null;
  }
}

export function rememberRouting(ctx: DomainContext, workspaceId: string, routing: RoutingContext, version: number) {
  if (cache.size > 1000) cache.clear();
  cache.set(workspaceId, { expires: ctx.now() + ctx.config.FORM_CACHE_TTL_SECONDS * 1000, version, routing });
}

/** Statements that end a write batch: the routing version and the open-lead counts after it (see `refresh`). */
export function routingReadBack(workspaceId: string) {
  const args = { ws: workspaceId };
  return [
    stmt(`SELECT ${ROUTING_VERSION} AS version`, args),
    // One row per rep (kept by triggers), where counting the workspace's open leads grew with them.
    stmt(`SELECT rep_id, open_leads AS n FROM rep_open_leads WHERE workspace_id = :ws`, args),
  ];
}

/**
 * After a write batch that ended with `routingReadBack`: the cached context takes the fresh counts while its
 * version still holds, and is dropped once it does not. Returns the context as it is now, or null when stale.
 * A context the batch found current is as good as a fresh read, so it is kept for another TTL from now.
 */
export function refreshRouting(
  ctx: DomainContext,
  workspaceId: string,
  usedVersion: number,
  [versionRows, countRows]: [Row[] | undefined, Row[] | undefined],
): { routing: RoutingContext; version: number } | null {
  const hit = cache.get(workspaceId);
  const version = Number(versionRows?.[0]?.version ?? -1);
  if (!hit || hit.version !== usedVersion || version !== usedVersion) {
    if (hit && hit.version === usedVersion) cache.delete(workspaceId);
    return null;
  }
  hit.routing = {
    ...hit.routing,
    openLeads: new Map((countRows ?? []).map((r) => [String(r.rep_id), Number(r.n)])),
  };
  hit.expires = ctx.now() + ctx.config.FORM_CACHE_TTL_SECONDS * 1000;
  return { routing: hit.routing, version };
}
