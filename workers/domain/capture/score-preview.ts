import { z } from "@hono/zod-openapi";
import { and, desc, eq, getTableColumns, sql } from "drizzle-orm";
import { LEAD_SOURCES, lead } from "../../../db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { leadConditions } from "../leads/leads";
import { type LeadForScoring, type Score, type ScoringRules, scoreLead, scoringRulesSchema } from "./scoring";

const text = z.string().max(200).optional();

/** A made-up lead to try rules on: what capture would know about it. */
const SampleLeadInput = z.object({
  source: z.enum(LEAD_SOURCES).default("form"),
  name: text,
  email: text,
  phone: text,
  utmSource: text,
  utmMedium: text,
  fields: z.record(z.string().max(64), z.string().max(2000)).optional(),
  replied: z.boolean().optional(),
  /** How long ago the prospect last wrote. */
  hoursSinceInbound: z
    .number()
    .min(0)
    .max(24 * 365)
    .optional(),
});
export type SampleLead = z.output<typeof SampleLeadInput>;

/** What the API's preview takes: rules to try (the saved ones when omitted) and a lead of the workspace or a sample. */
export const ScorePreviewInput = z
  .object({
    rules: scoringRulesSchema.optional().openapi({ description: "Rules to try; the saved ones when omitted" }),
    leadId: z.string().min(1).max(64).optional().openapi({ description: "Score this lead of the workspace" }),
    sample: SampleLeadInput.optional().openapi({ description: "Or a made-up lead" }),
  })
  .refine((v) => (v.leadId === undefined) !== (v.sample === undefined), {
    message: "Give either leadId or sample.",
    path: ["leadId"],
  });

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
  { ctx, workspace }: Scope,
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
