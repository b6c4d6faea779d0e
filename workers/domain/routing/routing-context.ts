import { and, asc, eq, getTableColumns, isNotNull, isNull, sql } from "drizzle-orm";
import {
  lead,
  person,
  pool,
  poolMember,
  rep,
  repOpenLeads,
  routingRule,
  routingVersion,
  webhookEndpoint,
  workspace,
} from "../../../db/schema";
import type { ChannelList } from "../../channels/channel";
import type { Db } from "../../db";
import type { RepAvailability } from "../../routing/availability";
import { type Identity, identitiesArg } from "../capture/lead-identities";
import type { DomainContext } from "../context";

export type Pool = typeof pool.$inferSelect;
export type RoutingRule = typeof routingRule.$inferSelect;

export const OPEN_STATUSES = ["new", "contacted", "qualified"] as const;
export const isOpenStatus = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);

// Used when a workspace has defined no pool: every rep, these SLA settings.
export const IMPLICIT_POOL = {
  slaMinutes: 15,
  hotSlaMinutes: 5,
  maxReassignments: 2,
  fallbackRepId: null,
  strategy: "weighted",
  escalationRepIds: [] as string[],
} as const;

export interface RoutingContext {
  timezone: string;
  ownerRepId: string | null;
  queueHotFirst: boolean;
  reInquiryPolicy: "reopen" | "keep";
  /** Rep records of the workspace's admins (people with access): told with the owner of leads that wait. */
  adminRepIds: string[];
  reps: (RepAvailability & { name: string })[];
  pools: Pool[];
  members: Map<string, string[]>;
  rules: RoutingRule[];
  openLeads: Map<string, number>;
  /** The events the workspace's active webhook endpoints take (a capture on a current context writes no other). */
  webhookEvents: Set<string>;
  /** Reps with an address on no channel that reaches reps (a capture on a current context writes them no alert). */
  unreachableRepIds: Set<string>;
}

export interface ExistingLeadRef {
  id: string;
  ownerRepId: string | null;
  reassignCount: number;
  passedRepIds: string[];
  status: string;
}

/**
 * SQL: 1 when the rep has an address on some channel that reaches reps. Each channel's `reachable` reads the rep
 * row only, so a change to it moves routing_version with the rest of the rep (the triggers of migration 0015).
 */
function repReachable(channels: ChannelList) {
  const any = channels.flatMap((c) => (c.rep ? [`(${c.rep.reachable})`] : []));
  // "rep"."id" spelled out: drizzle writes a column of the only table selected from unqualified, which inside this
  // subquery would be r's own id.
  return sql<number>`(SELECT ${sql.raw(any.length ? any.join(" OR ") : "0")} FROM rep r WHERE r.id = "rep"."id")`;
}

/**
 * Open leads per rep as the triggers keep them (rep_open_leads, written with every lead write): the figure every
 * cap check and the reps' load use, one row per rep instead of a count over the workspace's leads.
 */
export const keptOpenLeads = (db: Db, workspaceId: string) =>
  db
    .select({ repId: repOpenLeads.repId, n: repOpenLeads.openLeads })
    .from(repOpenLeads)
    .where(eq(repOpenLeads.workspaceId, workspaceId));

/**
 * Everything routing needs, in one libSQL round trip: reps, pools, members, rules, open-lead counts
 * (for caps), the workspace's settings and — when identifiers are given — the lead they already match.
 */
export async function loadRoutingContext(
  ctx: DomainContext,
  workspaceId: string,
  contact?: { phone: string | null; email: string | null; identities?: Identity[] },
): Promise<{ routing: RoutingContext; existing: ExistingLeadRef | null; version: number }> {
  const { db } = ctx.database;
  const id = {
    phone: contact?.phone ?? null,
    email: contact?.email ?? null,
    ids: identitiesArg(contact?.identities ?? []),
  };
  // Where this lead's first matching identity stands in the list given (lower wins), NULL when none matches.
  const identityRank = sql`(SELECT min(j.key) FROM json_each(${id.ids}) j JOIN lead_identity li
    ON li.workspace_id = ${workspaceId} AND li.kind = json_extract(j.value, '$[0]')
      AND li.address = json_extract(j.value, '$[1]') AND li.lead_id = ${lead.id})`;
  const [ws, reps, pools, members, rules, counts, existing, admins, endpoints, version] = await db.batch([
    db
      .select({
        timezone: workspace.timezone,
        ownerRepId: workspace.ownerRepId,
        queueHotFirst: workspace.queueHotFirst,
        reInquiryPolicy: workspace.reInquiryPolicy,
      })
      .from(workspace)
      .where(eq(workspace.id, workspaceId)),
    db
      .select({ ...getTableColumns(rep), reachable: repReachable(ctx.channels) })
      .from(rep)
      .where(eq(rep.workspaceId, workspaceId))
      .orderBy(asc(rep.createdAt)),
    db.select().from(pool).where(eq(pool.workspaceId, workspaceId)),
    db.select().from(poolMember).where(eq(poolMember.workspaceId, workspaceId)),
    db
      .select()
      .from(routingRule)
      .where(eq(routingRule.workspaceId, workspaceId))
      .orderBy(asc(routingRule.position), asc(routingRule.id)),
    keptOpenLeads(db, workspaceId),
    // Same precedence as captureLead's dedup: phone, email, then the channel identities in the order given.
    db
      .select({
        id: lead.id,
        ownerRepId: lead.ownerRepId,
        reassignCount: lead.reassignCount,
        passedRepIds: lead.passedRepIds,
        status: lead.status,
      })
      .from(lead)
      .where(
        sql`${lead.workspaceId} = ${workspaceId} AND (${lead.phone} = ${id.phone} OR ${lead.email} = ${id.email}
          OR ${lead.id} IN (SELECT li.lead_id FROM json_each(${id.ids}) j JOIN lead_identity li
            ON li.workspace_id = ${workspaceId} AND li.kind = json_extract(j.value, '$[0]')
            AND li.address = json_extract(j.value, '$[1]')))`,
      )
      .orderBy(sql`CASE WHEN ${lead.phone} = ${id.phone} THEN -2 WHEN ${lead.email} = ${id.email} THEN -1
          ELSE ${identityRank} END`)
      .limit(1),
    db
      .select({ repId: person.repId })
      .from(person)
      .where(
        and(
          eq(person.workspaceId, workspaceId),
          eq(person.role, "admin"),
          isNotNull(person.repId),
          isNull(person.revokedAt),
        ),
      ),
    db
      .select({ events: webhookEndpoint.events })
      .from(webhookEndpoint)
      .where(and(eq(webhookEndpoint.workspaceId, workspaceId), eq(webhookEndpoint.active, true))),
    // What the context is as of (see routing-cache.ts): read in the same batch, so it matches the rows above.
    db
      .select({ version: routingVersion.version })
      .from(routingVersion)
      .where(eq(routingVersion.workspaceId, workspaceId)),
  ]);
  const memberMap = new Map<string, string[]>();
  for (const m of members) memberMap.set(m.poolId, [...(memberMap.get(m.poolId) ?? []), m.repId]);
  return {
    routing: {
      timezone: ws[0]?.timezone ?? "UTC",
      ownerRepId: ws[0]?.ownerRepId ?? null,
      queueHotFirst: ws[0]?.queueHotFirst ?? false,
      reInquiryPolicy: ws[0]?.reInquiryPolicy ?? "reopen",
      adminRepIds: admins.flatMap((a) => (a.repId ? [a.repId] : [])),
      reps,
      pools,
      members: memberMap,
      rules,
      openLeads: new Map(counts.map((c) => [c.repId, c.n])),
      webhookEvents: new Set(endpoints.flatMap((e) => e.events)),
      unreachableRepIds: new Set(reps.flatMap((r) => (Number(r.reachable) === 1 ? [] : [r.id]))),
    },
    existing: existing[0] ?? null,
    version: version[0]?.version ?? 0,
  };
}

export function poolSettings(routing: RoutingContext, poolId: string | null) {
  return routing.pools.find((p) => p.id === poolId) ?? IMPLICIT_POOL;
}

/** A pool's reps; a pool without members (or the implicit default) rotates over every rep. */
export function poolReps(routing: RoutingContext, poolId: string | null) {
  const ids = poolId ? routing.members.get(poolId) : undefined;
  return ids?.length ? routing.reps.filter((r) => ids.includes(r.id)) : routing.reps;
}

export function defaultPoolId(routing: RoutingContext): string | null {
  return routing.pools.find((p) => p.isDefault)?.id ?? null;
}

/** Who hears that a lead waits with nobody able to take it: the workspace owner and every admin with a rep record. */
export function queueWatchers(routing: Pick<RoutingContext, "ownerRepId" | "adminRepIds">): string[] {
  return [...new Set([...(routing.ownerRepId ? [routing.ownerRepId] : []), ...routing.adminRepIds])];
}
