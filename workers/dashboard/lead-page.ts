import { html } from "hono/html";
import { LEAD_STATUSES } from "../../db/schema";
import type { ReplyOptions, ThreadMessage } from "../domain/leads/lead-conversation";
import type { Lead } from "../domain/leads/lead-row";
import type { LeadEvent } from "../domain/leads/leads";
import type { OwnerCandidates } from "../domain/routing/owner-candidates";
import type { Rep } from "../domain/team/reps";
import { fmtTime } from "./layout";
import { when } from "./when";

/** Errors of the lead page's forms, keyed by control (status, owner, claim, note, snooze, reply). */
export type LeadPageErrors = Partial<Record<"status" | "owner" | "claim" | "note" | "snooze" | "reply", string>>;

export const STATUS_WORDS: Record<string, string> = {
  new: "New",
  contacted: "Contacted",
  qualified: "Qualified",
  won: "Won",
  lost: "Lost",
  unqualified: "Not a fit",
  spam: "Spam",
};

const DONE_WORDS: Record<string, string> = {
  status: "Status changed.",
  owner: "Owner changed.",
  claim: "Claimed.",
  note: "Note added.",
  snooze: "Snoozed: the owner gets a reminder.",
  reply: "Reply queued: it is on its way.",
};

const EVENT_WORDS: Record<string, string> = {
  created: "Captured",
  "re-inquiry": "Wrote again",
  status_changed: "Status changed",
  owner_changed: "Owner changed",
  assigned: "Assigned",
  unassigned: "Left unassigned",
  reassigned: "Reassigned",
  escalated: "Escalated",
  claimed: "Claimed",
  passed: "Passed on",
  note: "Note",
  message: "Message",
  opted_out: "Opted out",
  opted_in: "Opted back in",
  delivery_failed: "Not delivered",
};

const ACTOR_WORDS: Record<string, string> = {
  system: "LeadRelay",
  owner: "owner",
  rep: "rep",
  prospect: "prospect",
  api: "API",
  person: "team member",
};

/** Who acted, in words: a person or key by name, a rep by their name, else the kind of actor. */
function actorLabel(e: LeadEvent, names: Map<string, string> | undefined, repName: (id: unknown) => string): string {
  if (e.actorId && names?.has(e.actorId)) return names.get(e.actorId)!;
  if (e.actorType === "rep" && e.actorId) return repName(e.actorId);
  return ACTOR_WORDS[e.actorType] ?? e.actorType;
}

function eventText(e: LeadEvent, repName: (id: unknown) => string): string {
  const d = e.data as Record<string, unknown>;
  const words = (v: unknown) => STATUS_WORDS[String(v)] ?? String(v);
  switch (e.type) {
    case "created":
    case "re-inquiry":
      return [d.channel && `via ${String(d.channel)}`, d.message && `“${String(d.message)}”`]
        .filter(Boolean)
        .join(" · ");
    case "status_changed":
      return `${words(d.from)} → ${words(d.to)}`;
    case "note":
      return String(d.notes ?? "");
    case "message": {
      const who = d.direction === "out" ? "to the prospect" : "from the prospect";
      const what = d.template ? `template “${String(d.template)}”` : `“${String(d.text ?? "")}”`;
      return `${who}: ${what}${d.edited ? " (edited)" : ""}`;
    }
    case "delivery_failed":
      return `${String(d.channel ?? "")}: ${String(d.error ?? "")} · “${String(d.text ?? "")}”`;
    default:
      return [
        d.from !== undefined && `from ${repName(d.from)}`,
        (d.to ?? d.repId) !== undefined && `to ${repName(d.to ?? d.repId)}`,
        typeof d.reason === "string" && d.reason !== "rotation" && `(${d.reason})`,
      ]
        .filter(Boolean)
        .join(" ");
  }
}

const fieldError = (id: string, message: string | undefined) =>
  message ? html`<p class="field-err" id="${id}-error" role="alert">${message}</p>` : "";
const invalid = (id: string, message: string | undefined) =>
  message ? html`aria-invalid="true" aria-describedby="${id}-error"` : "";

export interface LeadPageData {
  lead: Lead;
  events: LeadEvent[];
  reps: Rep[];
  candidates: OwnerCandidates;
  thread: ThreadMessage[];
  reply: ReplyOptions;
  timeZone: string;
  now: number;
  nonce: string;
  /** Person and key ids → names, so the timeline says who made each change. */
  actorNames?: Map<string, string> | undefined;
  done?: string | undefined;
  errors?: LeadPageErrors | undefined;
}

function threadBody(thread: ThreadMessage[], timeZone: string) {
  if (thread.length === 0) return html`<p class="muted">No messages yet.</p>`;
  return html`<ol class="thread" data-thread>
  ${thread.map(
    (m) => html`<li class="${m.direction}" data-direction="${m.direction}">
    <div class="meta">${m.from} · ${m.channel} · ${fmtTime(m.at, timeZone)}${m.edited ? " · edited" : ""}</div>
    <div>${m.text}${m.media ? html` <em>[${m.media}]</em>` : ""}</div>
    ${
      m.state
        ? html`<div class="meta" data-state="${m.state}"><span class="state-${m.state}">${m.state}</span>${
            m.reason ? html` — ${m.reason}` : ""
          }</div>`
        : ""
    }
  </li>`,
  )}
</ol>`;
}

function replyBox(leadId: string, reply: ReplyOptions, nonce: string, error: string | undefined) {
  if (reply.mode === "none") return html`<p class="muted" data-reply-why>${reply.why}</p>${fieldError("reply", error)}`;
  return html`<form method="post" action="/app/leads/${leadId}/reply" class="reply" data-reply-form>
  <input type="hidden" name="nonce" value="${nonce}">
  ${
    reply.mode === "template"
      ? html`<p class="muted" data-reply-why>${reply.why}</p>
      <label for="reply-template">Approved template</label>
      <select id="reply-template" name="template"
        ${invalid("reply", error)}>${reply.templates.map((t) => html`<option>${t}</option>`)}</select>`
      : html`<label for="reply-text">Reply on ${reply.channel}</label>
      <textarea id="reply-text" name="text" rows="3" maxlength="4000" required ${invalid("reply", error)}></textarea>`
  }
  ${fieldError("reply", error)}
  <p><button type="submit">Send${reply.mode === "template" ? " template" : ""} on ${reply.channel}</button></p>
</form>`;
}

export function leadPageBody(d: LeadPageData) {
  const { lead, errors = {} } = d;
  const owner = d.reps.find((r) => r.id === lead.ownerRepId);
  const repName = (id: unknown) =>
    typeof id === "string" ? (d.reps.find((r) => r.id === id)?.name ?? "a removed rep") : "nobody";
  const fields = Object.entries(lead.fields);
  const utm = [lead.utmSource, lead.utmMedium, lead.utmCampaign].filter(Boolean);
  const action = (name: string) => `/app/leads/${lead.id}/${name}`;
  return html`
${d.done && DONE_WORDS[d.done] ? html`<p class="ok" role="status">${DONE_WORDS[d.done]}</p>` : ""}
<p data-lead-summary>Status <span class="badge" data-field="status">${STATUS_WORDS[lead.status]}</span>
  · Owner <strong data-field="owner">${owner ? owner.name : "nobody yet"}</strong>
  · Captured <span data-field="captured">${when(lead.createdAt, d.timeZone, d.now)}</span>
  ${lead.hot ? html`<span class="hot">hot</span>` : ""}</p>
<section class="card" id="actions" data-section="actions"><h2>Work this lead</h2>
<div class="actions">
  <form method="post" action="${action("status")}">
    <label for="status">Status</label>
    <select id="status" name="status" ${invalid("status", errors.status)}>
      ${LEAD_STATUSES.map(
        (s) => html`<option value="${s}" ${s === lead.status ? "selected" : ""}>${STATUS_WORDS[s]}</option>`,
      )}
    </select>${fieldError("status", errors.status)}
    <p><button type="submit">Change status</button></p>
  </form>
  <form method="post" action="${action("owner")}">
    <label for="owner">Owner</label>
    ${
      d.candidates.eligible.length
        ? html`<select id="owner" name="repId" ${invalid("owner", errors.owner)}>
          ${d.candidates.eligible.map((r) => html`<option value="${r.id}">${r.name}</option>`)}</select>
        <p><button type="submit">Hand over</button></p>`
        : html`<p class="muted" data-owner-why>Nobody else can take it now.</p>`
    }
    ${
      d.candidates.skipped.length
        ? html`<p class="muted" data-owner-skipped>${d.candidates.skipped
            .map((r) => `${r.name}: ${r.reason}`)
            .join(" · ")}</p>`
        : ""
    }
    ${fieldError("owner", errors.owner)}
  </form>
  <form method="post" action="${action("claim")}">
    <label>Claim</label>
    ${
      owner
        ? html`<p class="muted">${
            lead.claimedAt
              ? `${owner.name} has taken it.`
              : `Marks it taken by ${owner.name}: the answer deadline stops.`
          }</p>
        ${lead.claimedAt ? "" : html`<button type="submit">Claim for ${owner.name}</button>`}`
        : html`<p class="muted">Give it an owner first.</p>`
    }
    ${fieldError("claim", errors.claim)}
  </form>
  <form method="post" action="${action("snooze")}">
    <label for="snooze">Snooze (the owner gets a reminder)</label>
    <select id="snooze" name="hours" ${invalid("snooze", errors.snooze)}>
      <option value="1">1 hour</option><option value="4">4 hours</option><option value="24">1 day</option></select>
    ${fieldError("snooze", errors.snooze)}
    <p><button type="submit">Snooze</button></p>
  </form>
  <form method="post" action="${action("note")}">
    <label for="note">Note</label>
    <textarea id="note" name="text" rows="2" maxlength="2000" ${invalid("note", errors.note)}></textarea>
    ${fieldError("note", errors.note)}
    <p><button type="submit">Add note</button></p>
  </form>
</div>
</section>
<section class="card" id="conversation" data-section="conversation"><h2>Conversation</h2>
  ${threadBody(d.thread, d.timeZone)}
  ${replyBox(lead.id, d.reply, d.nonce, errors.reply)}
</section>
<div class="grid">
  <section class="card">
    <h2>Contact</h2>
    <p>${lead.email ?? ""}<br>${lead.phone ?? ""}${
      lead.telegramUserId ? html`<br>Telegram ${lead.telegramUserId}` : ""
    }${lead.whatsappId ? html`<br>WhatsApp ${lead.whatsappId}` : ""}</p>
    <p>Assigned ${when(lead.assignedAt, d.timeZone, d.now)}<br>First response ${when(
      lead.firstResponseAt,
      d.timeZone,
      d.now,
    )}</p>
    ${lead.message ? html`<h3>Message</h3><p>${lead.message}</p>` : ""}
    ${
      fields.length
        ? html`<h3>Answers</h3><table>${fields.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>`
        : ""
    }
  </section>
  <section class="card" data-section="score">
    <h2>Score ${lead.score ?? "—"}/10 ${lead.hot ? html`<span class="hot">hot</span>` : ""}</h2>
    ${
      lead.scoreReasons?.length
        ? html`<table>${lead.scoreReasons.map(
            (r) => html`<tr><td>${r.label}</td><td>${r.points > 0 ? "+" : ""}${r.points}</td></tr>`,
          )}</table>
        <p class="muted">Points of your <a
          href="/app/scoring">scoring rules</a> that fired, summed and kept between 1 and 10.</p>`
        : html`<p class="muted">Not scored.</p>`
    }
    <h3>Where it came from</h3>
    <p>${lead.source}${utm.length ? ` · ${utm.join(" / ")}` : ""}
    ${lead.referrer ? html`<br>Referrer ${lead.referrer}` : ""}${lead.pageUrl ? html`<br>Page ${lead.pageUrl}` : ""}</p>
  </section>
</div>
<section class="card"><h2>Timeline</h2>
  <ol class="timeline">
    ${d.events.map(
      (e) =>
        html`<li><strong>${EVENT_WORDS[e.type] ?? e.type.replace(/_/g, " ")}</strong> · ${fmtTime(
          e.createdAt,
          d.timeZone,
        )} · <span class="muted">${actorLabel(e, d.actorNames, repName)}</span> ${eventText(e, repName)}</li>`,
    )}
  </ol>
</section>
${lead.notes ? html`<section class="card"><h2>Notes</h2><p>${lead.notes}</p></section>` : ""}`;
}
