import type { RuleMatch } from "../../db/schema";
import { nanpRegion } from "./nanp-regions";

export interface RoutableLead {
  source: string;
  formId: string | null;
  country: string | null;
  fields: Record<string, string>;
  /** E.164; places a lead without a region field by its area code (US and Canada). */
  phone?: string | null | undefined;
}

const lower = (s: string) => s.trim().toLowerCase();

const REGION_FIELDS = ["region", "state", "province"];
const POSTAL_FIELDS = ["zip", "postal_code", "postcode", "postal"];
const compact = (s: string) => s.replace(/[\s-]/g, "").toUpperCase();
const answer = (lead: RoutableLead, names: string[]) =>
  names.map((n) => lead.fields[n]).find((v) => v !== undefined && v.trim() !== "");

/** The lead's own answer, else the state or province of its +1 number: code and name, either may be listed. */
function regionsOf(lead: RoutableLead): string[] {
  const typed = answer(lead, REGION_FIELDS);
  if (typed) return [typed];
  const fromPhone = lead.phone ? nanpRegion(lead.phone) : null;
  return fromPhone ? [fromPhone.code, fromPhone.name] : [];
}

/**
 * True when every criterion the rule lists matches and, if it has OR-groups, one group matches in full;
 * field values, regions and postal codes compare case-insensitively.
 */
export function ruleMatches(match: RuleMatch, lead: RoutableLead): boolean {
  if (!criteriaMatch(match, lead)) return false;
  return !match.any?.length || match.any.some((group) => criteriaMatch(group, lead));
}

function criteriaMatch(match: Omit<RuleMatch, "any">, lead: RoutableLead): boolean {
  if (match.regions?.length) {
    const listed = match.regions.map(lower);
    if (!regionsOf(lead).some((r) => listed.includes(lower(r)))) return false;
  }
  if (match.postalPrefixes?.length) {
    const postal = answer(lead, POSTAL_FIELDS);
    if (!postal || !match.postalPrefixes.some((p) => compact(postal).startsWith(compact(p)))) return false;
  }
  if (match.sources?.length && !(match.sources as string[]).includes(lead.source)) return false;
  if (match.formIds?.length && (!lead.formId || !match.formIds.includes(lead.formId))) return false;
  if (
    match.countries?.length &&
    (!lead.country || !match.countries.map((c) => c.toUpperCase()).includes(lead.country))
  ) {
    return false;
  }
  for (const [field, values] of Object.entries(match.fields ?? {})) {
    const answer = lead.fields[field];
    if (answer === undefined || !values.map(lower).includes(lower(answer))) return false;
  }
  return true;
}

/** The pool of the first matching rule (rules sorted by position), else the default pool id (may be null). */
export function routeToPool<R extends { match: RuleMatch; poolId: string }>(
  rules: R[],
  lead: RoutableLead,
  defaultPoolId: string | null,
): { poolId: string | null; rule: R | null } {
  const rule = rules.find((r) => ruleMatches(r.match, lead)) ?? null;
  return { poolId: rule?.poolId ?? defaultPoolId, rule };
}
