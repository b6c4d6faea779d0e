import { AppError } from "../../errors";
import { skipReason } from "../../routing/availability";
import type { DomainContext } from "../context";
import { loadRoutingContext } from "./routing-context";

/**
 * A person handing a lead to a named rep: refused (422 naming the field and why) when the rep is deactivated;
 * when they are paused, on vacation or at their cap, refused unless `force` says the owner means it.
 */
export async function requireAssignable(
  ctx: DomainContext,
  workspaceId: string,
  repId: string,
  opts: { force?: boolean | undefined; field?: string } = {},
): Promise<void> {
  const field = opts.field ?? "repId";
  const { routing } = await loadRoutingContext(ctx, workspaceId);
  const rep = routing.reps.find((r) => r.id === repId);
  if (!rep) throw AppError.validation({ [field]: "No such rep in this workspace." });
  if (!rep.active) throw AppError.validation({ [field]: "This rep is deactivated and cannot own leads." });
  const reason = skipReason(rep, routing.openLeads.get(rep.id) ?? 0, ctx.now(), routing.timezone);
  if (opts.force || (reason !== "paused" && reason !== "at-cap" && reason !== "on-vacation")) return;
  const why = {
    paused: "is paused",
    "at-cap": `is at their cap of ${rep.maxOpenLeads} open leads`,
    "on-vacation": "is on vacation",
  }[reason];
  throw AppError.validation({ [field]: `This rep ${why}; send "force": true to assign anyway.` });
}
