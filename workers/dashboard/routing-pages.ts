import { html } from "hono/html";
import type { Sequence } from "../domain/leads/sequences";
import type { PoolWithMembers } from "../domain/routing/pools";
import type { RoutingRule } from "../domain/routing/routing-context";
import type { Rep } from "../domain/team/reps";

function matchSummary(rule: RoutingRule): string {
  const m = rule.match;
  const parts = [
    m.sources?.length ? `source ${m.sources.join(" or ")}` : null,
    m.formIds?.length ? `form ${m.formIds.join(" or ")}` : null,
    m.countries?.length ? `country ${m.countries.join(" or ")}` : null,
    ...Object.entries(m.fields ?? {}).map(([field, values]) => `${field} = ${values.join(" or ")}`),
  ].filter(Boolean);
  return parts.length ? parts.join(" and ") : "every lead";
}

export function routingBody(pools: PoolWithMembers[], rules: RoutingRule[], reps: Rep[]) {
  const repName = (id: string | null) => reps.find((r) => r.id === id)?.name ?? id ?? "";
  const poolName = (id: string) => pools.find((p) => p.id === id)?.name ?? id;
  return html`
<section class="card"><h2>Rules, first match wins</h2>
${
  rules.length === 0
    ? html`<p class="muted">No rules: every lead goes to the default pool.</p>`
    : html`<table data-table="rules"><thead><tr><th>#</th><th>Rule</th><th>When</th><th>Pool</th></tr></thead><tbody>
  ${rules.map((r, i) => html`<tr><td>${i + 1}</td><td>${r.name}</td><td>${matchSummary(r)}</td><td>${poolName(r.poolId)}</td></tr>`)}
  </tbody></table>`
}
</section>
<section class="card"><h2>Pools</h2>
${
  pools.length === 0
    ? html`<p class="muted">No pools: one rotation over every rep, first response due in 15 minutes (5 for hot leads), two reassignments before the owner is alerted.</p>`
    : html`<table data-table="pools"><thead><tr><th>Pool</th><th>Reps</th><th>First response</th><th>Reassignments</th><th>Fallback</th></tr></thead><tbody>
  ${pools.map(
    (
      p,
    ) => html`<tr><td>${p.name}${p.isDefault ? " (default)" : ""}</td><td>${p.repIds.length ? p.repIds.map(repName).join(", ") : "every rep"}</td>
    <td>${p.slaMinutes} min (hot ${p.hotSlaMinutes} min)</td><td>${p.maxReassignments}</td><td>${repName(p.fallbackRepId) || "workspace owner"}</td></tr>`,
  )}
  </tbody></table>`
}
</section>
<p class="muted">Edit them through <code>/api/v1/routing-rules</code> and <code>/api/v1/pools</code>.</p>`;
}

export function sequencesBody(sequences: Sequence[]) {
  return html`
${
  sequences.length === 0
    ? html`<p class="muted">No follow-up sequences yet.</p>`
    : sequences.map(
        (s) => html`<section class="card" data-sequence="${s.id}"><h2>${s.name}${s.active ? "" : " (paused)"}</h2>
<p class="muted">For ${[s.formId ? `form ${s.formId}` : null, s.source ? `${s.source} leads` : null, s.poolId ? `pool ${s.poolId}` : null].filter(Boolean).join(", ") || "every new lead"};
quiet hours ${s.quietStart && s.quietEnd ? `${s.quietStart}–${s.quietEnd}` : "none"}. Stops when the prospect replies, opts out, the lead is closed or a rep takes over.</p>
<ol>${s.steps.map((st) => html`<li>after ${st.delayMinutes} min · ${st.sender}: ${st.text ?? st.template ?? ""}</li>`)}</ol></section>`,
      )
}
<p class="muted">Edit them through <code>/api/v1/sequences</code>.</p>`;
}
