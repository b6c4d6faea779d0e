import type { Context } from "hono";
import { type LeadVisibility, leadVisible } from "../domain/leads/leads";
import { AppError } from "../errors";
import type { AppEnv } from "./app";

/** For a rep signed in to the console, which leads they see; undefined (everything) for admins, owners, keys. */
export function leadVisibility(c: Context<AppEnv>): LeadVisibility | undefined {
  const { principal, person } = c.get("auth");
  if (principal.kind !== "person" || principal.role !== "rep") return undefined;
  return { repId: principal.repId, unassigned: person?.repsSeeUnassigned ?? false };
}

/** 404 (not 403: another rep's lead is not even confirmed to exist) when the caller may not see this lead. */
export function requireLeadVisible(c: Context<AppEnv>, l: { ownerRepId: string | null }) {
  if (!leadVisible(leadVisibility(c), l)) throw AppError.notFound("Lead");
}
