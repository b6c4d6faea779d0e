import { eq } from "drizzle-orm";
import { scoringRules } from "../../../db/schema";
import { AppError } from "../../errors";
import type { DomainContext } from "../context";
import { DEFAULT_SCORING_RULES, type ScoringRules, type ScoringRulesInput, scoringRulesSchema } from "./scoring";

// Read on every capture to score the lead before the write batch: cached per isolate like form settings
// (FORM_CACHE_TTL_SECONDS), so a capture still costs one libSQL request. PUT drops this isolate's entry.
// The entry holds the read itself, so captures arriving together while it expired share one read.
const cache = new Map<string, { expires: number; rules: Promise<ScoringRules> }>();

function parseStored(value: unknown): ScoringRules {
  const parsed = scoringRulesSchema.safeParse(value);
  // Rules are validated on PUT; a row that no longer parses (older shape) falls back to the defaults.
  return parsed.success ? parsed.data : DEFAULT_SCORING_RULES;
}

export async function getScoringRules(ctx: DomainContext, workspaceId: string): Promise<ScoringRules> {
  const now = ctx.now();
  const hit = cache.get(workspaceId);
  if (hit && hit.expires > now) return hit.rules;
  const rules = ctx.database.db
    .select()
    .from(scoringRules)
    .where(eq(scoringRules.workspaceId, workspaceId))
    .get()
    .then((row) => (row ? parseStored(row.rules) : DEFAULT_SCORING_RULES));
  if (cache.size > 1000) cache.clear();
  const entry = { expires: now + ctx.config.FORM_CACHE_TTL_SECONDS * 1000, rules };
  cache.set(workspaceId, entry);
  // A failed read is not cached: the next capture tries again.
  rules.catch(() => cache.get(workspaceId) === entry && cache.delete(workspaceId));
  return rules;
}

/** Replaces the workspace's rules; omitted parts take their defaults. Applies to leads scored from now on. */
export async function putScoringRules(
  ctx: DomainContext,
  workspaceId: string,
  input: ScoringRulesInput,
): Promise<ScoringRules> {
  const parsed = scoringRulesSchema.safeParse(input);
  if (!parsed.success) {
    throw AppError.validation(
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "body", i.message])),
    );
  }
  const now = ctx.now();
  await ctx.database.db
    .insert(scoringRules)
    .values({ workspaceId, rules: parsed.data, updatedAt: now })
    .onConflictDoUpdate({ target: scoringRules.workspaceId, set: { rules: parsed.data, updatedAt: now } });
  cache.delete(workspaceId);
  return parsed.data;
}
