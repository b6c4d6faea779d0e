import { html } from "hono/html";
import { LEAD_SOURCES, LEAD_STATUSES } from "../../db/schema";
import { type BoardCard, LEAD_SORTS } from "../domain/leads/lead-list";
import type { Lead } from "../domain/leads/lead-row";
import type { FailedDelivery, QueueCounts, QueueLead } from "../domain/leads/work-queues";
import type { Rep } from "../domain/team/reps";
import { STATUS_WORDS } from "./lead-page";
import { when } from "./when";

interface Zone {
  timeZone: string;
  now: number;
}

const repLabel = (reps: Rep[], id: string | null) =>
  id ? (reps.find((r) => r.id === id)?.name ?? "a removed rep") : html`<span class="muted">unassigned</span>`;

export function leadListBody(
  o: Zone & {
    leads: Lead[];
    total: number;
    reps: Rep[];
    query: Record<string, string>;
    page: number;
    pageSize: number;
    error?: string | undefined;
    notice?: string | undefined;
  },
) {
  const q = o.query;
  const keep = new URLSearchParams(Object.entries(q).filter(([k, v]) => k !== "page" && k !== "done" && v !== ""));
  const pageLink = (n: number) => `/app/leads?${new URLSearchParams([...keep, ["page", String(n)]]).toString()}`;
  const pages = Math.max(1, Math.ceil(o.total / o.pageSize));
  const check = (name: string) => (q[name] === "1" ? "checked" : "");
  return html`
<form class="filters card" method="get" action="/app/leads" role="search">
  <div><label for="q">Search</label><input id="q" name="q" type="search" value="${q.q ?? ""}"
    placeholder="name, email, phone, message"></div>
  <div><label for="status">Status</label><select id="status" name="status"><option value="">any</option>
    ${LEAD_STATUSES.map(
      (s) => html`<option value="${s}" ${q.status === s ? "selected" : ""}>${STATUS_WORDS[s]}</option>`,
    )}</select></div>
  <div><label for="source">Source</label><select id="source" name="source"><option value="">any</option>
    ${LEAD_SOURCES.map((s) => html`<option ${q.source === s ? "selected" : ""}>${s}</option>`)}</select></div>
  <div><label for="owner">Owner</label><select id="owner" name="owner"><option value="">anyone</option>
    <option value="none" ${q.owner === "none" ? "selected" : ""}>unassigned</option>
    ${o.reps.map(
      (r) => html`<option value="${r.id}" ${q.owner === r.id ? "selected" : ""}>${r.name}</option>`,
    )}</select></div>
  <div><label for="from">From (${o.timeZone})</label><input id="from" name="from" type="date"
    value="${q.from ?? ""}"></div>
  <div><label for="to">Until (${o.timeZone})</label><input id="to" name="to" type="date" value="${q.to ?? ""}"></div>
  <div><label for="sort">Sort</label><select id="sort" name="sort">
    ${Object.entries(LEAD_SORTS).map(
      ([k, v]) => html`<option value="${k}" ${(q.sort ?? "newest") === k ? "selected" : ""}>${v}</option>`,
    )}</select></div>
  <div><label><input type="checkbox" name="hot" value="1" ${check("hot")}> Hot only</label></div>
  <div><label><input type="checkbox" name="waiting" value="1"
    ${check("waiting")}> Waiting for a first answer</label></div>
  <button type="submit">Filter</button>
  <a class="tap" href="/app/leads/export.csv?${keep.toString()}" download>Export CSV</a>
</form>
${o.error ? html`<p class="err" role="alert">${o.error}</p>` : ""}
${o.notice ? html`<p class="ok" role="status">${o.notice}</p>` : ""}
<p data-total><strong>${o.total}</strong> ${o.total === 1 ? "lead" : "leads"}</p>
<form method="post" action="/app/leads/bulk" data-bulk>
<div class="bulk card">
  <div><label for="bulk-status">Set status of selected</label><select id="bulk-status" name="status">
    <option value="">—</option>
    ${LEAD_STATUSES.map((s) => html`<option value="${s}">${STATUS_WORDS[s]}</option>`)}</select></div>
  <div><label for="bulk-owner">Give selected to</label><select id="bulk-owner" name="repId">
    <option value="">—</option>
    ${o.reps.map((r) => html`<option value="${r.id}">${r.name}</option>`)}</select></div>
  <button type="submit">Apply to selected</button>
</div>
<table data-table="leads" class="cards">
  <thead><tr><th><span class="muted">Pick</span></th><th>Captured</th><th>Name</th><th>Contact</th>
    <th>Source</th><th>UTM source</th><th>Status</th><th>Score</th><th>Owner</th></tr></thead>
  <tbody>
  ${o.leads.length === 0 ? html`<tr><td colspan="9" class="muted">No leads match.</td></tr>` : ""}
  ${o.leads.map(
    (l) => html`<tr data-lead-id="${l.id}">
      <td><input type="checkbox" name="ids" value="${l.id}" aria-label="Select ${l.name ?? "lead"}"></td>
      <td data-label="Captured" data-col="captured">${when(l.createdAt, o.timeZone, o.now)}</td>
      <td data-label="Name"><a href="/app/leads/${l.id}">${l.name ?? "(no name)"}</a></td>
      <td data-label="Contact">${l.email ?? ""}${l.email && l.phone ? html`<br>` : ""}${l.phone ?? ""}</td>
      <td data-label="Source">${l.source}</td>
      <td data-label="UTM source" data-col="utm-source">${l.utmSource ?? ""}</td>
      <td data-label="Status"><span class="badge">${STATUS_WORDS[l.status]}</span></td>
      <td data-label="Score">${l.score ?? "—"} ${
        l.hot
          ? html`<span class="hot"
        title="Hot lead">hot</span>`
          : ""
      }</td>
      <td data-label="Owner" data-col="owner">${repLabel(o.reps, l.ownerRepId)}</td>
    </tr>`,
  )}
  </tbody>
</table>
</form>
<p class="pager">${o.page > 1 ? html`<a class="tap" href="${pageLink(o.page - 1)}" rel="prev">← Newer</a>` : ""}
  <span class="muted">Page ${o.page} of ${pages}</span>
  ${o.page < pages ? html`<a class="tap" href="${pageLink(o.page + 1)}" rel="next">More →</a>` : ""}</p>`;
}

/** The board's columns, in the order a lead moves through them. */
export const BOARD_STATUSES = ["new", "contacted", "qualified", "won", "lost", "unqualified", "spam"] as const;

export function boardBody(
  o: Zone & { columns: Record<string, BoardCard[]>; reps: Rep[]; notice?: string | undefined },
) {
  return html`
<p class="muted">Move a card with its buttons, or focus it and press ← or →.</p>
${o.notice ? html`<p class="ok" role="status">${o.notice}</p>` : ""}
<div class="board" data-board>
${BOARD_STATUSES.map((status, i) => {
  const prev = BOARD_STATUSES[i - 1];
  const next = BOARD_STATUSES[i + 1];
  return html`<section data-column="${status}" aria-label="${STATUS_WORDS[status]}">
  <h2>${STATUS_WORDS[status]} <span class="muted">${o.columns[status]?.length ?? 0}</span></h2>
  ${(o.columns[status] ?? []).map(
    (l) => html`<article tabindex="0" id="lead-${l.id}" data-lead-id="${l.id}" aria-label="${l.name ?? "Lead"}">
    <a href="/app/leads/${l.id}">${l.name ?? "(no name)"}</a> ${l.hot ? html`<span class="hot">hot</span>` : ""}
    <div class="muted">${repLabel(o.reps, l.ownerRepId)} · ${when(l.createdAt, o.timeZone, o.now)}</div>
    <form method="post" action="/app/leads/${l.id}/status" class="moves">
      <input type="hidden" name="back" value="board">
      ${
        prev
          ? html`<button type="submit" name="status" value="${prev}" data-move="prev"
              class="secondary">← ${STATUS_WORDS[prev]}</button>`
          : ""
      }
      ${
        next
          ? html`<button type="submit" name="status" value="${next}"
              data-move="next">${STATUS_WORDS[next]} →</button>`
          : ""
      }
    </form>
  </article>`,
  )}
</section>`;
})}
</div>`;
}

function queueTable(kind: string, leads: QueueLead[], reps: Rep[], z: Zone) {
  if (leads.length === 0) return html`<p>Nothing here.</p>`;
  return html`<table class="cards" data-queue="${kind}">
  <thead><tr><th>Lead</th><th>Captured</th><th>Owner</th><th>Why</th></tr></thead><tbody>
  ${leads.map(
    (l) => html`<tr data-lead-id="${l.id}"><td
      data-label="Lead"><a href="/app/leads/${l.id}">${l.name ?? "(no name)"}</a> <span
      class="muted">${l.source}</span></td>
    <td data-label="Captured">${when(l.createdAt, z.timeZone, z.now)}</td><td
      data-label="Owner">${repLabel(reps, l.ownerRepId)}</td>
    <td data-label="Why" data-col="why">${l.why}</td></tr>`,
  )}
</tbody></table>`;
}

const KIND_WORDS: Record<string, string> = {
  auto_reply: "Auto-reply",
  rep_alert: "Alert to a rep",
  follow_up: "Follow-up",
  escalation: "Escalation",
  digest: "Daily digest",
  reminder: "Reminder",
  bot_reply: "Bot answer",
  relay: "Message relayed to a rep",
  rep_reply: "Reply to the prospect",
};

export function queuesBody(
  o: Zone & {
    counts: QueueCounts;
    unassigned: QueueLead[];
    breached: QueueLead[];
    failed: FailedDelivery[];
    reps: Rep[];
    notice?: string | undefined;
  },
) {
  return html`
${o.notice ? html`<p class="ok" role="status">${o.notice}</p>` : ""}
<section class="card" id="unassigned">
  <h2>Unassigned <span class="badge" data-count="unassigned">${o.counts.unassigned}</span></h2>
  ${queueTable("unassigned", o.unassigned, o.reps, o)}</section>
<section class="card" id="breached">
  <h2>Answer deadline missed <span class="badge" data-count="breached">${o.counts.breached}</span></h2>
  ${queueTable("breached", o.breached, o.reps, o)}</section>
<section class="card" id="failed">
  <h2>Messages that did not go out <span class="badge" data-count="failed">${o.counts.failed}</span></h2>
  ${
    o.failed.length === 0
      ? html`<p>Nothing here.</p>`
      : html`<table class="cards" data-queue="failed">
  <thead><tr><th>Message</th><th>Lead</th><th>When</th><th>Error</th><th></th></tr></thead><tbody>
  ${o.failed.map(
    (
      f,
    ) => html`<tr data-outbox-id="${f.id}"><td data-label="Message">${KIND_WORDS[f.kind] ?? f.kind} by ${f.sender}</td>
    <td data-label="Lead">${
      f.leadId ? html`<a href="/app/leads/${f.leadId}">${f.leadName ?? "(no name)"}</a>` : "—"
    }</td>
    <td data-label="When">${when(f.updatedAt, o.timeZone, o.now)}</td>
    <td data-label="Error" data-col="error">${f.error || "no reason given"} <span
      class="muted">(${f.attempts} ${f.attempts === 1 ? "try" : "tries"})</span></td>
    <td><form method="post" action="/app/queues/deliveries/${f.id}/retry"><button
      type="submit">Retry</button></form></td></tr>`,
  )}
  </tbody></table>`
  }</section>`;
}
