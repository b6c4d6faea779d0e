import { html } from "hono/html";
import { POOL_STRATEGIES } from "../../db/schema";
import type { PoolWithMembers } from "../domain/routing/pools";
import type { RoutingRule } from "../domain/routing/routing-context";
import type { Rep } from "../domain/team/reps";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";
import { checkbox, nameInput, notices, options } from "./form-parts";

type Values = Record<string, string>;

/** Empty escalation choices offered under the saved chain. */
const SPARE_ESCALATIONS = 2;

export const NEW_POOL: Values = { slaMinutes: "15", hotSlaMinutes: "5", maxReassignments: "2", strategy: "weighted" };

const STRATEGY_LABELS: Record<(typeof POOL_STRATEGIES)[number], string> = {
  weighted: "Weighted round robin (each rep's weight is their share)",
  "least-loaded": "Fewest open leads first (ties by the round robin)",
};

/** A saved pool as the page's control values (the same shape a post of the page sends back). */
export function poolValues(p: PoolWithMembers): Values {
  const v: Values = {
    name: p.name,
    isDefault: p.isDefault ? "on" : "",
    strategy: p.strategy,
    slaMinutes: String(p.slaMinutes),
    hotSlaMinutes: String(p.hotSlaMinutes),
    maxReassignments: String(p.maxReassignments),
    fallbackRepId: p.fallbackRepId ?? "",
  };
  for (const id of p.repIds) v[`member.${id}`] = "on";
  p.escalationRepIds.forEach((id, i) => {
    v[`escalation${i}`] = id;
  });
  return v;
}

/** The page's controls as the API's pool input, and the control each message belongs under. */
export function poolInputFrom(v: Values) {
  const num = (k: string) => (v[k]?.trim() ? Number(v[k]) : undefined);
  const repIds = Object.keys(v)
    .filter((k) => k.startsWith("member.") && v[k] === "on")
    .map((k) => k.slice("member.".length));
  const escalationRepIds: string[] = [];
  const escalationRow: number[] = [];
  for (let i = 0; v[`escalation${i}`] !== undefined; i++) {
    const id = v[`escalation${i}`] ?? "";
    if (!id) continue;
    escalationRepIds.push(id);
    escalationRow.push(i);
  }
  const input = {
    name: v.name ?? "",
    isDefault: v.isDefault === "on",
    strategy: v.strategy,
    slaMinutes: num("slaMinutes"),
    hotSlaMinutes: num("hotSlaMinutes"),
    maxReassignments: num("maxReassignments"),
    fallbackRepId: v.fallbackRepId || null,
    escalationRepIds,
    repIds,
  };
  const control = (path: string): string => {
    const [head, key] = path.split(".");
    if (head === "repIds") return "members";
    if (head === "escalationRepIds")
      return key === undefined ? "escalation0" : `escalation${escalationRow[Number(key)] ?? 0}`;
    return head || "form";
  };
  return { input, control };
}

function numberInput(v: Values, errors: PageErrors, name: string, label: string) {
  return html`<p><label for="${name}">${label}</label>
  <input id="${name}" name="${name}" type="number" min="0" step="1" value="${v[name] ?? ""}"
    ${invalidAttrs(errors, name)}>
  ${errorFor(errors, name)}</p>`;
}

function repSelect(v: Values, errors: PageErrors, reps: Rep[], name: string, label: string, none: string) {
  return html`<select style="max-width:100%" name="${name}" aria-label="${label}" ${invalidAttrs(errors, name)}>
    <option value="">${none}</option>
    ${options(
      reps.map((r) => [r.id, r.name] as const),
      v[name],
    )}
  </select>${errorFor(errors, name)}`;
}

export function poolFormBody(opts: {
  pool?: PoolWithMembers;
  reps: Rep[];
  rules?: RoutingRule[];
  values: Values;
  errors?: PageErrors;
  saved?: boolean;
}) {
  const { pool, reps, values: v } = opts;
  const errors = opts.errors ?? {};
  let used = 0;
  for (let i = 0; v[`escalation${i}`] !== undefined; i++) if (v[`escalation${i}`]) used = i + 1;
  const routedHere = (opts.rules ?? []).filter((r) => r.poolId === pool?.id);
  return html`
${notices(opts.saved, errors)}
<form method="post" action="${pool ? `/app/routing/pools/${pool.id}` : "/app/routing/pools"}" class="card"
  data-form="pool" novalidate>
  ${nameInput(v, errors, "Pool name")}
  <p><label>${checkbox(v, "isDefault")}
    Default pool (leads no rule matches come here)</label></p>
  <p><label for="strategy">How the next rep is chosen</label>
  <select style="max-width:100%" id="strategy" name="strategy" ${invalidAttrs(errors, "strategy")}>
    ${options(
      POOL_STRATEGIES.map((s) => [s, STRATEGY_LABELS[s]] as const),
      v.strategy,
    )}
  </select>${errorFor(errors, "strategy")}</p>
  <fieldset style="min-width:0" ${invalidAttrs(errors, "members")}><legend>Members</legend>
  ${
    reps.length
      ? html`<table data-table="members"><thead><tr>
    <th>In the pool</th><th>Weight</th><th>Open-lead cap</th></tr></thead><tbody>
    ${reps.map(
      (r) => html`<tr><td><label>${checkbox(v, `member.${r.id}`)}
      ${r.name}</label></td>
      <td><a href="/app/reps/${r.id}" title="Change it on the rep's page">${r.weight}</a></td>
      <td>${r.maxOpenLeads ?? "no cap"}</td></tr>`,
    )}
    </tbody></table>`
      : html`<p class="muted">No reps yet: <a href="/app/reps/new">add a rep</a>.</p>`
  }
  ${errorFor(errors, "members")}
  <p class="muted">No member ticked: the pool rotates over every rep. A rep's weight and cap are theirs in every pool;
  change them on the rep's page.</p></fieldset>
  <div class="grid">
    ${numberInput(v, errors, "slaMinutes", "First response due within (minutes)")}
    ${numberInput(v, errors, "hotSlaMinutes", "For hot leads (minutes)")}
    ${numberInput(v, errors, "maxReassignments", "Reassignments before escalating")}
  </div>
  <p><label for="fallbackRepId">When no member can take a lead</label>
  ${repSelect(v, errors, reps, "fallbackRepId", "Fallback rep", "the workspace owner")}</p>
  <fieldset style="min-width:0">
  <legend>Escalation chain (missed first responses go to the first available, in order)</legend>
  ${Array.from(
    { length: used + SPARE_ESCALATIONS },
    (_, i) => html`<p>${i + 1}. ${repSelect(v, errors, reps, `escalation${i}`, `Escalation ${i + 1}`, "—")}</p>`,
  )}
  </fieldset>
  <button type="submit">${pool ? "Save pool" : "Add pool"}</button> <a href="/app/routing">Back to routing</a>
</form>
${
  pool
    ? html`<form method="post" action="/app/routing/pools/${pool.id}/delete" class="card">
  <p>Deleting a pool deletes the rules that send leads to it${
    routedHere.length ? html` (${routedHere.map((r) => r.name).join(", ")})` : " (none)"
  } and the follow-up sequences attached to it. Leads already assigned keep their owner.</p>
  <button type="submit" style="background:#cf222e">Delete pool</button></form>`
    : ""
}`;
}
