import { html } from "hono/html";
import type { RuleMatch } from "../../db/schema";
import type { PoolWithMembers } from "../domain/routing/pools";
import type { RoutingRule } from "../domain/routing/routing-context";
import type { Rep } from "../domain/team/reps";

function criteriaSummary(m: Omit<RuleMatch, "any">, formName: (id: string) => string): string[] {
  return [
    m.sources?.length ? `source ${m.sources.join(" or ")}` : null,
    m.formIds?.length ? `form ${m.formIds.map(formName).join(" or ")}` : null,
    m.countries?.length ? `country ${m.countries.join(" or ")}` : null,
    m.regions?.length ? `region ${m.regions.join(" or ")}` : null,
    m.postalPrefixes?.length ? `postal code ${m.postalPrefixes.map((p) => `${p}…`).join(" or ")}` : null,
    ...Object.entries(m.fields ?? {}).map(([field, values]) => `${field} = ${values.join(" or ")}`),
  ].filter((x): x is string => x !== null);
}

export function matchSummary(m: RuleMatch, formName: (id: string) => string = (id) => id): string {
  const parts = criteriaSummary(m, formName);
  const groups = (m.any ?? []).map((g) => criteriaSummary(g, formName).join(" and ") || "anything");
  if (groups.length) parts.push(`${groups.length > 1 ? "either " : ""}(${groups.join(") or (")})`);
  return parts.length ? parts.join(" and ") : "every lead";
}

type Named = { id: string; name: string };

function moveButton(r: RoutingRule, direction: "up" | "down", disabled: boolean) {
  return html`<form method="post" action="/app/routing/rules/${r.id}/move" style="display:inline">
    <input type="hidden" name="direction" value="${direction}">
    <button type="submit" class="secondary" aria-label="Move ${r.name} ${direction}" ${disabled ? "disabled" : ""}
    >${direction === "up" ? "↑" : "↓"}</button></form>`;
}

function rulesTable(rules: RoutingRule[], poolName: (id: string) => string, formName: (id: string) => string) {
  return html`<table data-table="rules" class="cards"><thead><tr>
  <th>#</th><th>Rule</th><th>When</th><th>Pool</th><th>Order</th></tr></thead><tbody>
  ${rules.map(
    (r, i) => html`<tr data-rule="${r.id}"><td>${i + 1}</td>
    <td data-label="Rule"><a href="/app/routing/rules/${r.id}">${r.name}</a></td>
    <td data-label="When">${matchSummary(r.match, formName)}</td><td data-label="Pool">${poolName(r.poolId)}</td>
    <td>${moveButton(r, "up", i === 0)} ${moveButton(r, "down", i === rules.length - 1)}</td></tr>`,
  )}
  </tbody></table>`;
}

function poolsTable(pools: PoolWithMembers[], reps: Rep[]) {
  const repName = (id: string | null) => reps.find((r) => r.id === id)?.name ?? id ?? "";
  const members = (p: PoolWithMembers) =>
    p.repIds.length
      ? p.repIds.map((id) => `${repName(id)} (${reps.find((r) => r.id === id)?.weight ?? "?"})`).join(", ")
      : "every rep";
  return html`<table data-table="pools" class="cards"><thead><tr><th>Pool</th><th>Reps (weight)</th>
  <th>Strategy</th><th>First response</th><th>Reassignments</th><th>Fallback</th></tr></thead><tbody>
  ${pools.map(
    (p) => html`<tr data-pool="${p.id}">
    <td data-label="Pool"><a href="/app/routing/pools/${p.id}">${p.name}</a>${p.isDefault ? " (default)" : ""}</td>
    <td data-label="Reps">${members(p)}</td>
    <td data-label="Strategy">${p.strategy === "weighted" ? "weighted round robin" : "fewest open leads"}</td>
    <td data-label="First response">${p.slaMinutes} min (hot ${p.hotSlaMinutes} min)</td>
    <td data-label="Reassignments">${p.maxReassignments}</td>
    <td data-label="Fallback">${repName(p.fallbackRepId) || "workspace owner"}</td></tr>`,
  )}
  </tbody></table>`;
}

export function routingBody(pools: PoolWithMembers[], rules: RoutingRule[], reps: Rep[], forms: Named[]) {
  const poolName = (id: string) => pools.find((p) => p.id === id)?.name ?? id;
  const formName = (id: string) => forms.find((f) => f.id === id)?.name ?? id;
  return html`
<p><a href="/app/routing/preview">Who would get this lead?</a> Try a sample lead against these rules and pools.</p>
<section class="card"><h2>Rules, first match wins</h2>
${
  rules.length === 0
    ? html`<p class="muted">No rules: every lead goes to the default pool.</p>`
    : rulesTable(rules, poolName, formName)
}
<p>${
    pools.length
      ? html`<a href="/app/routing/rules/new">Add a rule</a>`
      : html`<span class="muted">Add a pool first; a rule sends leads to one.</span>`
  }</p>
</section>
<section class="card"><h2>Pools</h2>
${
  pools.length === 0
    ? html`<p class="muted">No pools: one rotation over every rep, first response due in 15 minutes (5 for hot
  leads), two reassignments before the owner is alerted.</p>`
    : poolsTable(pools, reps)
}
<p><a href="/app/routing/pools/new">Add a pool</a></p>
</section>`;
}
