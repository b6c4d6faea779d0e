import { html } from "hono/html";
import type { AuditEventView } from "../domain/team/audit-log";
import type { SessionView } from "../domain/team/sessions";
import { when } from "./when";

/** The signed-in person's live sessions, each with a button that ends it (the current one signs out here). */
export function sessionsSection(sessions: SessionView[], timeZone: string, now: number) {
  return html`<section class="card">
<h2>Sessions</h2>
<table>
<thead><tr><th>Device</th><th>Signed in</th><th>Last seen</th><th></th></tr></thead>
<tbody>${sessions.map(
    (s) => html`<tr data-session>
<td>${s.userAgent ? s.userAgent.slice(0, 80) : "unknown device"}${
      s.current ? html` <strong>(this one)</strong>` : ""
    }</td>
<td>${when(s.createdAt, timeZone, now)}</td>
<td>${when(s.lastSeenAt, timeZone, now)}</td>
<td><form method="post" action="/app/sessions/${s.id}/end"><button type="submit">End this session</button></form></td>
</tr>`,
  )}</tbody>
</table>
<form method="post" action="/app/account/sign-out-everywhere"><button type="submit">Sign out everywhere</button></form>
</section>`;
}

/** Settings changes with who made them, newest first, paged with "Older activity" (owners and admins only). */
export function activitySection(
  events: AuditEventView[],
  timeZone: string,
  now: number,
  olderCursor: string | null = null,
) {
  return html`<section class="card" id="activity">
<h2>Activity</h2>
${
  events.length === 0
    ? html`<p class="muted">No settings changes yet.</p>`
    : html`<table>
<thead><tr><th>When</th><th>Who</th><th>What</th></tr></thead>
<tbody>${events.map(
        (e) => html`<tr data-activity>
<td>${when(e.createdAt, timeZone, now)}</td>
<td>${e.actor.name ?? (e.actor.type === "api" ? "a deleted key" : "a removed person")}</td>
<td><code>${e.action}</code>${e.resourceId ? html` <span class="muted">${e.resourceId}</span>` : ""}</td>
</tr>`,
      )}</tbody>
</table>`
}
${
  olderCursor
    ? html`<p><a href="/app/account?activity=${encodeURIComponent(olderCursor)}#activity">Older activity</a></p>`
    : ""
}
</section>`;
}
