import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { PublicApiKey } from "../domain/team/api-keys";
import type { PublicPerson } from "../domain/team/people";
import type { Rep } from "../domain/team/reps";
import type { SignedInPerson } from "../domain/team/sessions";
import { fmtTime } from "./layout";

export interface Notice {
  ok?: string;
  error?: string;
  /** A secret shown once (invite link, new API key), with what it is. */
  secret?: { label: string; value: string };
}

export function noticeBlock(n: Notice = {}) {
  return html`${n.ok ? html`<section class="card" role="status"><p>${n.ok}</p></section>` : ""}
${n.error ? html`<section class="card" role="alert"><p class="err">${n.error}</p></section>` : ""}
${
  n.secret
    ? html`<section class="card" role="status"><p>${n.secret.label} It is shown only now:</p>
<pre id="shown-once" data-secret>${n.secret.value}</pre>
<button type="button" data-copy="shown-once">Copy</button></section>`
    : ""
}`;
}

const repOptions = (reps: Rep[], selected: string | null) =>
  html`<option value="">— none —</option>${reps.map(
    (r) => html`<option value="${r.id}" ${r.id === selected ? "selected" : ""}>${r.name}</option>`,
  )}`;

export function peopleBody(
  people: PublicPerson[],
  reps: Rep[],
  viewer: SignedInPerson,
  repsSeeUnassigned: boolean,
  notice?: Notice,
) {
  const repName = (id: string | null) => reps.find((r) => r.id === id)?.name ?? "";
  const isOwner = viewer.role === "owner";
  return html`${noticeBlock(notice)}
<table data-table="people">
  <thead><tr><th>Person</th><th>Role</th><th>Rep record</th><th>Status</th><th>Change</th></tr></thead>
  <tbody>
  ${people.map(
    (p) => html`<tr data-person-id="${p.id}">
    <td>${p.name}<br><span class="muted">${p.email ?? "no email yet"}</span></td>
    <td>${p.role}</td>
    <td>${repName(p.repId)}</td>
    <td>${p.status}</td>
    <td>${
      p.role === "owner" || p.status === "revoked"
        ? ""
        : html`
      <form method="post" action="/app/people/${p.id}" class="filters">
        <label>Role <select name="role">
          ${(isOwner ? ["rep", "admin", "owner"] : ["rep", "admin"]).map(
            (r) => html`<option ${r === p.role ? "selected" : ""}>${r}</option>`,
          )}
        </select></label>
        <label>Rep <select name="repId">${repOptions(reps, p.repId)}</select></label>
        <button type="submit">Save</button>
      </form>
      <form method="post" action="/app/people/${p.id}/revoke"><button type="submit">Remove access</button></form>`
    }</td>
  </tr>`,
  )}
  </tbody>
</table>
<section class="card">
<h2>What reps see</h2>
<form method="post" action="/app/people/unassigned-queue">
  <label><input type="checkbox" name="repsSeeUnassigned" value="on" ${repsSeeUnassigned ? "checked" : ""}>
    Reps also see leads nobody owns (the unassigned queue)</label>
  <button type="submit">Save</button>
</form>
</section>
<section class="card">
<h2>Invite someone</h2>
<form method="post" action="/app/people/invite" class="filters">
  <label>Email <input name="email" type="email" required></label>
  <label>Name <input name="name" required maxlength="120"></label>
  <label>Role <select name="role"><option>rep</option><option>admin</option></select></label>
  <label>Rep record <select name="repId">${repOptions(reps, null)}</select></label>
  <button type="submit">Create invite link</button>
</form>
<p class="muted">The one-time link is shown once and is valid 7 days; it is also sent to the rep's linked Telegram or
WhatsApp chat, and by email when email is configured. Reps see only their own leads.</p>
</section>`;
}

export function keysBody(keys: PublicApiKey[], timeZone: string, notice?: Notice) {
  return html`${noticeBlock(notice)}
<table data-table="api-keys">
  <thead><tr><th>Name</th><th>Key</th><th>Scope</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr>
  </thead>
  <tbody>
  ${keys.map(
    (k) => html`<tr data-key-id="${k.id}">
    <td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${k.scope}</td>
    <td>${fmtTime(k.createdAt, timeZone)}</td><td>${fmtTime(k.lastUsedAt, timeZone)}</td>
    <td>${k.revokedAt === null ? "active" : html`revoked ${fmtTime(k.revokedAt, timeZone)}`}</td>
    <td>${
      k.revokedAt === null
        ? html`
      <form method="post" action="/app/keys/${k.id}/rotate"><button type="submit">Rotate</button></form>
      <form method="post" action="/app/keys/${k.id}/revoke"><button type="submit">Revoke</button></form>`
        : ""
    }</td>
  </tr>`,
  )}
  </tbody>
</table>
<section class="card">
<h2>New API key</h2>
<form method="post" action="/app/keys" class="filters">
  <label>Name <input name="name" required maxlength="80"></label>
  <label>Scope <select name="scope"><option>read</option><option>write</option><option>capture</option></select></label>
  <button type="submit">Create key</button>
</form>
<p class="muted">read: GET only · write: everything · capture: <code>POST /api/v1/leads</code> only. A revoked key
is refused on its very next request.</p>
</section>`;
}

export function accountBody(
  me: SignedInPerson,
  sections: HtmlEscapedString | Promise<HtmlEscapedString>,
  notice?: Notice,
) {
  return html`${noticeBlock(notice)}
${
  me.hasPassword
    ? ""
    : html`<p class="card" role="status">Set your email and a password: after that you sign in
with them, and the API key opens the API only.</p>`
}
<section class="card">
<h2>${me.hasPassword ? "Change password" : "Set email and password"}</h2>
<form method="post" action="/app/account/password">
  ${
    me.email
      ? html`<p>Signed in as <strong>${me.email}</strong> (${me.role}).</p>`
      : html`
  <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>`
  }
  ${
    me.hasPassword
      ? html`<label for="current">Current password</label>
  <input id="current" name="current" type="password" autocomplete="current-password" required>`
      : ""
  }
  <label for="password">New password (10+ characters)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required>
  <p><button type="submit">Save password</button></p>
  <p class="muted">Saving signs out every other device.</p>
</form>
</section>
${sections}`;
}
