import { and, desc, eq, getTableColumns, sql } from "drizzle-orm";
import { type LEAD_SOURCES, lead } from "../../../db/schema";
import { AppError } from "../../errors";
import type { DomainContext, WorkspaceRef } from "../context";
import { leadConditions } from "../leads/leads";
import { type LeadForScoring, type Score, type ScoringRules, scoreLead } from "./scoring";

/** A made-up lead to try rules on: what capture would know about it. */
export interface SampleLead {
  source: (typeof LEAD_SOURCES)[number];
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  utmSource?: string | undefined;
  utmMedium?: string | undefined;
  fields?: Record<string, string> | undefined;
  replied?: boolean | undefined;
  /** How long ago the prospect last wrote. */
  hoursSinceInbound?: number | undefined;
}

export interface ScorePreview extends Score {
  /** The existing lead scored, when one was picked. */
  lead?:
    | { id: string; name: string | null; email: string | null; phone: string | null; score: number | null }
    | undefined;
}

const HOUR = 3_600_000;

/**
 * Scores a sample lead, or an existing lead of the workspace: by its id, or found by id, name, email or phone
 * (the newest match), with `rules` — the rules being edited, not yet saved — by the same `scoreLead` capture
 * uses, with "replied" read as rescoring reads it (a re-inquiry on the timeline). Writes nothing.
 */
export async function previewScore(
  { ctx, workspace }: { ctx: DomainContext; workspace: WorkspaceRef },
  rules: ScoringRules,
  pick: { sample: SampleLead } | { leadQuery: string } | { leadId: string },
): Promise<ScorePreview> {
  const now = ctx.now();
  if ("sample" in pick) {
    const s = pick.sample;
    const input: LeadForScoring = { ...s, lastInboundAt: now - (s.hoursSinceInbound ?? 0) * HOUR };
    return scoreLead(input, rules, now);
  }
  const byId = "leadId" in pick;
  const q = byId ? pick.leadId : pick.leadQuery.trim();
  const replied = sql<number>`EXISTS (SELECT 1 FROM lead_event e WHERE e.workspace_id = ${lead.workspaceId}
    AND e.lead_id = ${lead.id} AND e.type = 're-inquiry')`;
  const found = await ctx.database.db
    .select({ ...getTableColumns(lead), replied })
    .from(lead)
    .where(byId ? and(eq(lead.workspaceId, workspace.id), eq(lead.id, q)) : and(...leadConditions(workspace.id, { q })))
    .orderBy(sql`${lead.id} = ${q} DESC`, desc(lead.createdAt))
    .limit(1)
    .get();
  // An id in a body names its field, like every other body id (not a 404 of the route).
  if (!found)
    throw AppError.validation(
      byId ? { leadId: "No such lead in this workspace." } : { lead: `No lead matches “${q}”.` },
    );
  return {
    ...scoreLead({ ...found, replied: Number(found.replied) === 1 }, rules, now),
    lead: { id: found.id, name: found.name, email: found.email, phone: found.phone, score: found.score },
  };
}
