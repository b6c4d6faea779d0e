import { html } from "hono/html";
import { LEAD_SOURCES, LEAD_STATUSES } from "../../db/schema";
import type { Lead } from "../domain/lead-row";
import type { LeadEvent } from "../domain/leads";
import type { Rep } from "../domain/reps";
import { fmtTime } from "./layout";

export function leadsBody(opts: {
  leads: Lead[];
  reps: Rep[];
  query: Record<string, string>;
  nextCursor: string | null;
  error?: string | undefined;
}) {
  const q = opts.query;
  const repName = new Map(opts.reps.map((r) => [r.id, r.name]));
  const filters = new URLSearchParams(Object.entries(q).filter(([k, v]) => k !== "cursor" && v !== ""));
  const next = opts.nextCursor ? new URLSearchParams([...filters, ["cursor", opts.nextCursor]]) : null;
  return html`
<form class="filters card" method="get" action="/app/leads" role="search">
  <div><label for="q">Search</label><input id="q" name="q" type="search" value="${q.q ?? ""}" placeholder="name, email, phone, message"></div>
  <div><label for="status">Status</label><select id="status" name="status"><option value="">any</option>
    ${LEAD_STATUSES.map((s) => html`<option ${q.status === s ? "selected" : ""}>${s}</option>`)}</select></div>
  <div><label for="source">Source</label><select id="source" name="source"><option value="">any</option>
    ${LEAD_SOURCES.map((s) => html`<option ${q.source === s ? "selected" : ""}>${s}</option>`)}</select></div>
  <div><label for="owner">Owner</label><select id="owner" name="owner"><option value="">anyone</option>
    <option value="none" ${q.owner === "none" ? "selected" : ""}>unassigned</option>
    ${opts.reps.map((r) => html`<option value="${r.id}" ${q.owner === r.id ? "selected" : ""}>${r.name}</option>`)}</select></div>
  <div><label for="from">From</label><input id="from" name="from" type="date" value="${q.from ?? ""}"></div>
  <div><label for="to">To (exclusive)</label><input id="to" name="to" type="date" value="${q.to ?? ""}"></div>
  <button type="submit">Filter</button>
  <a href="/app/leads/export.csv?${filters.toString()}" download>Export CSV</a>
</form>
${opts.error ? html`<p class="err" role="alert">${opts.error}</p>` : ""}
<table data-table="leads">
  <thead><tr><th>Captured</th><th>Name</th><th>Contact</th><th>Source</th><th>UTM source</th><th>Status</th><th>Score</th><th>Owner</th></tr></thead>
  <tbody>
  ${opts.leads.length === 0 ? html`<tr><td colspan="8" class="muted">No leads match.</td></tr>` : ""}
  ${opts.leads.map(
    (l) => html`<tr data-lead-id="${l.id}">
      <td>${fmtTime(l.createdAt)}</td>
      <td><a href="/app/leads/${l.id}">${l.name ?? "(no name)"}</a></td>
      <td>${l.email ?? ""}${l.email && l.phone ? html`<br>` : ""}${l.phone ?? ""}</td>
      <td>${l.source}</td>
      <td data-col="utm-source">${l.utmSource ?? ""}</td>
      <td><span class="badge">${l.status}</span></td>
      <td>${l.score ?? "—"} ${l.hot ? html`<span class="hot" title="Hot lead">hot</span>` : ""}</td>
      <td data-col="owner">${l.ownerRepId ? (repName.get(l.ownerRepId) ?? l.ownerRepId) : html`<span class="muted">unassigned</span>`}</td>
    </tr>`,
  )}
  </tbody>
</table>
${next ? html`<p><a href="/app/leads?${next.toString()}" rel="next">Older leads →</a></p>` : ""}`;
}

function eventSummary(e: LeadEvent, repName: (id: unknown) => string): string {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case "created":
    case "re-inquiry":
      return [d.channel && `via ${String(d.channel)}`, d.message && `“${String(d.message)}”`].filter(Boolean).join(" · ");
    case "status_changed":
      return `${String(d.from)} → ${String(d.to)}`;
    case "owner_changed":
      return `${repName(d.from)} → ${repName(d.to)}${d.reason ? ` (${String(d.reason)})` : ""}`;
    case "assigned":
    case "reassigned":
    case "unassigned":
    case "escalated":
    case "claimed":
    case "passed":
      return [d.from !== undefined && `from ${repName(d.from)}`, d.repId !== undefined && `to ${repName(d.repId)}`, d.reason && `(${String(d.reason)})`]
        .filter(Boolean)
        .join(" ");
    case "note":
      return String(d.notes ?? "");
    // The conversation: the prospect's messages and the reps' replies, in the channel they used.
    case "message":
      return `${d.direction === "out" ? `${repName(e.actorId)} →` : "prospect →"} “${String(d.text ?? "")}”${d.edited ? " (edited)" : ""}${d.channel ? ` (${String(d.channel)})` : ""}`;
    default:
      return JSON.stringify(d);
  }
}

export function leadBody(lead: Lead, events: LeadEvent[], reps: Rep[], timeZone: string) {
  const owner = reps.find((r) => r.id === lead.ownerRepId);
  const repName = (id: unknown) => (typeof id === "string" ? (reps.find((r) => r.id === id)?.name ?? id) : "nobody");
  const fields = Object.entries(lead.fields);
  return html`
<div class="grid">
  <section class="card">
    <h2>Contact</h2>
    <p>${lead.email ?? ""}<br>${lead.phone ?? ""}${lead.telegramUserId ? html`<br>Telegram ${lead.telegramUserId}` : ""}${lead.whatsappId ? html`<br>WhatsApp ${lead.whatsappId}` : ""}</p>
    <p>Status <span class="badge">${lead.status}</span> · Owner ${owner ? owner.name : html`<span class="muted">unassigned</span>`}</p>
    <p>Captured ${fmtTime(lead.createdAt, timeZone)} · Assigned ${fmtTime(lead.assignedAt, timeZone)} · First response ${fmtTime(lead.firstResponseAt, timeZone)}</p>
    ${lead.message ? html`<h3>Message</h3><p>${lead.message}</p>` : ""}
    ${fields.length ? html`<h3>Answers</h3><table>${fields.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>` : ""}
  </section>
  <section class="card" data-section="score">
    <h2>Score ${lead.score ?? "—"}/10 ${lead.hot ? html`<span class="hot">hot</span>` : ""}</h2>
    ${lead.scoreReasons?.length
      ? html`<table>${lead.scoreReasons.map((r) => html`<tr><td>${r.label}</td><td>${r.points > 0 ? "+" : ""}${r.points}</td></tr>`)}</table>
        <p class="muted">Points of the workspace's <a href="/app/scoring">scoring rules</a> that fired, summed and clamped to 1–10.</p>`
      : html`<p class="muted">Not scored.</p>`}
    <h3>Attribution</h3>
    <table>
      <tr><th>Source</th><td>${lead.source}</td></tr>
      <tr><th>UTM</th><td>${[lead.utmSource, lead.utmMedium, lead.utmCampaign, lead.utmTerm, lead.utmContent].filter(Boolean).join(" / ") || "—"}</td></tr>
      <tr><th>Referrer</th><td>${lead.referrer ?? "—"}</td></tr>
      <tr><th>Page</th><td>${lead.pageUrl ?? "—"}</td></tr>
    </table>
  </section>
</div>
<section class="card"><h2>Timeline</h2>
  <ol class="timeline">
    ${events.map((e) => html`<li><strong>${e.type}</strong> · ${fmtTime(e.createdAt, timeZone)} · <span class="muted">${e.actorType}</span> ${eventSummary(e, repName)}</li>`)}
  </ol>
</section>
<section class="card"><h2>Conversation</h2>
  <p class="muted">Messages with this lead, in and out, are on the timeline above.</p>
</section>
${lead.notes ? html`<section class="card"><h2>Notes</h2><p>${lead.notes}</p></section>` : ""}`;
}
