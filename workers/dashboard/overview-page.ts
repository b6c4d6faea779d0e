import { html } from "hono/html";
import { LEAD_SOURCES } from "../../db/schema";
import type { DashboardStats } from "../domain/reports/dashboard-stats";
import { delayBars, formatDuration, hbars, SOURCE_COLORS, stackedDays } from "./charts";
import { fmtTime } from "./layout";
import { STATUS_WORDS } from "./lead-page";

const pct = (won: number, total: number) =>
  total === 0 ? "—" : `${Math.round((100 * won) / total)}% (${won}/${total})`;

export function overviewBody(s: DashboardStats, opts: { days: number; timeZone: string }) {
  const reps = s.reps.filter((r) => r.assigned > 0);
  const firstDay = s.days[0]?.day ?? "";
  return html`
<form class="filters" method="get" action="/app">
  <div><label for="days">Range</label><select id="days" name="days">
    ${[7, 30, 90].map((d) => html`<option value="${d}" ${d === opts.days ? "selected" : ""}>Last ${d} days</option>`)}
  </select></div>
  <div><label for="sla">SLA (minutes to first response)</label><input id="sla" name="sla" type="number"
    min="1" max="10080" value="${s.sla.minutes}"></div>
  <button type="submit">Apply</button>
  <span class="muted">Days in ${opts.timeZone}.</span>
</form>
<div class="grid" style="margin-top:1rem">
  <div class="card"><div class="muted">Leads</div><div class="big" data-stat="total">${s.total}</div></div>
  <div class="card"><div class="muted">Median system delay (capture → first owner)</div>
    <div class="big">${formatDuration(s.systemDelay.median)}</div>
    <div class="muted">p90 ${formatDuration(s.systemDelay.p90)}</div></div>
  <div class="card"><div class="muted">Median rep delay (assigned → first response)</div>
    <div class="big">${formatDuration(s.repDelay.median)}</div>
    <div class="muted">p90 ${formatDuration(s.repDelay.p90)}</div></div>
  <div class="card"><div class="muted">SLA breaches (&gt; ${s.sla.minutes} min)</div>
    <div class="big" data-stat="sla-breaches">${s.sla.breached}</div>
    <div class="muted">${s.sla.open} still waiting</div></div>
</div>
<section class="card"><h2>Leads per day by source</h2>${stackedDays(
    "leads-per-day",
    "Leads per day, stacked by source",
    s.days,
    LEAD_SOURCES,
    (day, source) => `/app/leads?from=${day}&to=${day}&source=${source}`,
  )}</section>
<div class="grid">
  <section class="card"><h2>Funnel</h2>
    ${hbars(
      "funnel",
      "Funnel: captured, responded, qualified, won",
      s.funnel.map((f) => ({ label: f.stage, value: f.count })),
      s.total,
    )}
    <h3>By status</h3>
    ${hbars(
      "statuses",
      "Leads by status",
      Object.entries(s.statuses).map(([status, value]) => ({
        label: STATUS_WORDS[status] ?? status,
        value,
        color: "#57606a",
        href: `/app/leads?status=${status}&from=${firstDay}`,
      })),
    )}
  </section>
  <section class="card"><h2>Conversion</h2>
    <h3>By source</h3>
    ${hbars(
      "conversion-source",
      "Won share by source",
      s.conversionBySource.map((c) => ({
        label: c.label,
        value: c.total ? c.won / c.total : 0,
        note: pct(c.won, c.total),
        color: SOURCE_COLORS[c.label],
      })),
      1,
    )}
    <h3>By rep</h3>
    ${
      reps.length
        ? hbars(
            "conversion-rep",
            "Won share by rep",
            reps.map((r) => ({ label: r.name, value: r.won / r.assigned, note: pct(r.won, r.assigned) })),
            1,
          )
        : html`<p class="muted">No assigned leads in this range.</p>`
    }
  </section>
</div>
<section class="card"><h2>Speed to lead per rep</h2>
  <p class="muted">Dark bar: median; light bar: p90.
    System delay is routing (capture → first owner; later hand-overs do not count);
    rep delay is the human (assigned → first response).</p>
  ${
    reps.length
      ? html`<div class="grid">
      <div><h3>System delay</h3>${delayBars(
        "system-delay",
        "System delay per rep, median and p90",
        reps.map((r) => ({ label: r.name, ...r.systemDelay })),
      )}</div>
      <div><h3>Rep delay</h3>${delayBars(
        "rep-delay",
        "Rep delay per rep, median and p90",
        reps.map((r) => ({ label: r.name, ...r.repDelay })),
      )}</div>
    </div>`
      : html`<p class="muted">No assigned leads in this range yet.</p>`
  }
</section>
<section class="card"><h2>SLA breaches</h2>
  <p class="muted">Leads whose first response came (or is still missing)
    more than ${s.sla.minutes} minutes after capture; spam and unqualified leads are not counted.</p>
  ${
    s.sla.recent.length
      ? html`<table data-table="sla">
      <thead><tr><th>Lead</th><th>Captured</th><th>Waited</th><th>State</th></tr></thead><tbody>
      ${s.sla.recent.map(
        (l) =>
          html`<tr><td><a href="/app/leads/${l.id}">${l.name ?? l.id}</a></td><td>${fmtTime(
            l.createdAt,
            opts.timeZone,
          )}</td><td>${formatDuration(l.waitedMs)}</td><td>${l.open ? "still waiting" : "answered late"}</td></tr>`,
      )}
    </tbody></table>`
      : html`<p>No breaches in this range.</p>`
  }
</section>`;
}
