import { html } from "hono/html";
import type { Form } from "../domain/capture/forms";
import type { ChannelStatus } from "../domain/channels/channel-status";
import type { Rep } from "../domain/team/reps";
import { skipReason } from "../routing/availability";
import { type ConnectState, channelConnectForms } from "./channel-connect";
import { fmtTime } from "./layout";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function hoursSummary(r: Rep): string {
  if (!r.workingHours) return "always";
  return (
    DAYS.map((d, i) => {
      const ranges = r.workingHours?.[String(i) as "0"] ?? [];
      return ranges.length ? `${d} ${ranges.map(([a, b]) => `${a}–${b}`).join(", ")}` : null;
    })
      .filter(Boolean)
      .join("; ") || "never"
  );
}

export interface InviteNotice {
  repId: string;
  deepLink?: string;
  error?: string;
}

export function repsBody(
  reps: Rep[],
  open: Map<string, number>,
  now: number,
  workspaceTimeZone: string,
  invite?: InviteNotice,
) {
  return html`
${
  invite?.deepLink
    ? html`<section class="card" role="status"><p>Send this one-time link to ${
        reps.find((r) => r.id === invite.repId)?.name ?? "the rep"
      } (valid 7 days): <code data-invite-link>${invite.deepLink}</code></p></section>`
    : ""
}
${invite?.error ? html`<section class="card" role="alert"><p>${invite.error}</p></section>` : ""}
<table data-table="reps">
  <thead><tr><th>Rep</th><th>Available now</th><th>Working hours</th><th>Weight</th>
    <th>Open leads / cap</th><th>Chat</th></tr></thead>
  <tbody>
  ${reps.map(
    (r) => html`<tr>
    <td><a href="/app/reps/${r.id}">${r.name}</a><br><span class="muted">${r.email ?? ""}</span></td>
    <td>${skipReason(r, open.get(r.id) ?? 0, now, workspaceTimeZone) ?? "yes"}</td>
    <td>${hoursSummary(r)} <span class="muted">(${r.timezone ?? workspaceTimeZone})</span></td>
    <td>${r.weight}</td>
    <td>${open.get(r.id) ?? 0} / ${r.maxOpenLeads ?? "no cap"}</td>
    <td>${r.telegramChatId ? "Telegram" : ""} ${r.whatsappPhone ? "WhatsApp" : ""}
      <form method="post" action="/app/reps/${r.id}/telegram-invite">
        <button type="submit">${r.telegramChatId ? "New Telegram link" : "Telegram invite link"}</button></form></td>
  </tr>`,
  )}
  </tbody>
</table>
<p><a href="/app/reps/new">Add a rep</a></p>
<p class="muted">An invite link lets a rep link their Telegram chat to get alerts and act on leads; open a rep to change
their hours, cap, weight or vacations, pause or remove them.</p>`;
}

export function snippetFor(origin: string, form: Form): string {
  return `<script src="${origin}/embed.js" data-form="${form.publicKey}" async></script>`;
}

// Copies the snippet from the <pre> next to the button; clipboard access needs a secure context (https or
// localhost). Served as a file, not inline, so the dashboard's CSP can forbid inline scripts.
export const DASHBOARD_JS = `document.addEventListener("click",function(e){
var b=e.target.closest("[data-copy]");if(!b)return;
var t=document.getElementById(b.getAttribute("data-copy")).textContent;
navigator.clipboard.writeText(t).then(function(){b.textContent="Copied";},
function(){b.textContent="Select and copy";});});`;

export function formsBody(forms: Form[], origin: string) {
  return html`
<p><a href="/app/forms/new">New form</a></p>
${forms.length === 0 ? html`<p>No forms yet: create one, then paste its snippet into your site.</p>` : ""}
${forms.map(
  (f) => html`<section class="card" data-form-id="${f.id}">
  <h2>${f.name} <a href="/app/forms/${f.id}" style="font-size:1rem">Edit</a></h2>
  <h3>Embed snippet</h3>
  <p class="muted">Paste it where the form should appear.
    It renders in its own Shadow DOM, so your site's styles do not affect it.</p>
  <pre id="snippet-${f.id}" data-snippet>${snippetFor(origin, f)}</pre>
  <button type="button" data-copy="snippet-${f.id}">Copy snippet</button>
  <h3>Fields</h3>
  <table><thead><tr><th>Name</th><th>Label</th><th>Type</th><th>Required</th><th>Options</th></tr></thead><tbody>
    ${f.fields.map(
      (x) =>
        html`<tr><td><code>${x.name}</code></td><td>${x.label}</td><td>${x.type}</td><td>${
          x.required ? "yes" : ""
        }</td><td>${(x.options ?? []).join(", ")}</td></tr>`,
    )}
  </tbody></table>
  <p>Allowed origins: ${
    f.allowedOrigins.length
      ? f.allowedOrigins.join(", ")
      : html`<span class="muted">any (add your site's origin to lock it down)</span>`
  }</p>
  <p>Success message: “${f.successMessage}”${f.redirectUrl ? html` · redirects to ${f.redirectUrl}` : ""}</p>
  <p>Auto-reply: ${
    f.autoReplyText
      ? html`“${f.autoReplyText}” (by email, when an email API is configured and the lead left an address)`
      : html`<span class="muted">none (Edit to add one)</span>`
  }</p>
  <p class="muted">Honeypot field <code>${f.honeypotField}</code> · Turnstile ${
    f.turnstileSiteKey ? "on" : "off"
  } · public key <code>${f.publicKey}</code>.</p>
</section>`,
)}
<script src="/app/assets/dashboard.js"></script>`;
}

export function channelsBody(
  bots: { id: string; botUsername: string; webhookUrl: string; createdAt: number }[],
  numbers: {
    id: string;
    phoneNumberId: string;
    displayPhoneNumber: string | null;
    verifiedName: string | null;
    webhookUrl: string;
    verifyToken: string;
    lastError: { code: number | null; title: string | null; at?: number } | null;
    unknownNumbers?: { phoneNumberId: string; messages: number; statuses: number; lastAt: number }[];
    createdAt: number;
  }[] = [],
  connect: ConnectState = {},
  verifyTokenSuggestion = "",
  status: Map<string, ChannelStatus> = new Map(),
  timeZone = "UTC",
) {
  const when = (ms: number | null | undefined) =>
    ms === null || ms === undefined ? html`<span class="muted">never</span>` : fmtTime(ms, timeZone);
  return html`
${
  bots.length === 0
    ? html`<p class="muted">No Telegram bot connected yet.</p>`
    : html`<table data-table="channels"><thead><tr><th>Telegram bot</th><th>Webhook</th><th>Last webhook</th>
  <th>Last error</th><th>Connected</th></tr></thead><tbody>
  ${bots.map((b) => {
    const st = status.get(b.id);
    return html`<tr data-channel-id="${b.id}"><td>@${b.botUsername}</td><td><code>${b.webhookUrl}</code></td>
    <td data-last-webhook>${when(st?.lastWebhookAt)}</td><td data-last-error>${telegramError(st, when)}</td>
    <td>${new Date(b.createdAt).toISOString().slice(0, 10)}</td></tr>`;
  })}
  </tbody></table>`
}
${
  numbers.length === 0
    ? html`<p class="muted">No WhatsApp number connected yet.</p>`
    : html`<table data-table="whatsapp-numbers"><thead><tr><th>WhatsApp number</th><th>Callback URL</th>
  <th>Verify token</th><th>Last webhook</th><th>Last error</th><th>Connected</th></tr></thead><tbody>
  ${numbers.map((n) => {
    const st = status.get(n.id);
    const number = n.displayPhoneNumber ? `+${n.displayPhoneNumber}` : n.phoneNumberId;
    return html`<tr data-channel-id="${n.id}">
    <td>${number}${n.verifiedName ? html`<br><span class="muted">${n.verifiedName}</span>` : ""}</td>
    <td><code>${n.webhookUrl}</code></td><td><code>${n.verifyToken}</code></td>
    <td data-last-webhook>${when(st?.lastWebhookAt)}</td>
    <td data-last-error>${whatsappErrors(n, st, when)}</td>
    <td>${new Date(n.createdAt).toISOString().slice(0, 10)}</td></tr>`;
  })}
  </tbody></table>`
}
${channelConnectForms(connect, verifyTokenSuggestion)}`;
}

type When = (ms: number | null | undefined) => ReturnType<typeof html> | string;

/** Telegram's own record of delivering to us, then our last failed send through the bot. */
function telegramError(st: ChannelStatus | undefined, when: When) {
  const parts = [];
  const tg = st?.telegram;
  if (tg && "unreachable" in tg)
    parts.push(html`<span class="muted">Telegram did not answer: ${tg.unreachable}</span>`);
  else if (tg?.lastError)
    parts.push(
      html`<span class="err">Telegram could not deliver: ${tg.lastError.message}</span>
      (${when(tg.lastError.at)}${tg.pending ? `, ${tg.pending} waiting` : ""})`,
    );
  if (st?.lastFailedSend) parts.push(html`Send failed: ${st.lastFailedSend.error} (${when(st.lastFailedSend.at)})`);
  return parts.length ? html`${parts.map((p) => html`<p>${p}</p>`)}` : html`<span class="muted">none</span>`;
}

/** Meta's out-of-band error for the number, numbers of the same app we ignore, and our last failed send. */
function whatsappErrors(
  n: {
    lastError: { code: number | null; title: string | null; at?: number } | null;
    unknownNumbers?: { phoneNumberId: string; messages: number; statuses: number; lastAt: number }[];
  },
  st: ChannelStatus | undefined,
  when: When,
) {
  const parts = [];
  if (n.lastError)
    parts.push(
      html`<span class="err">${n.lastError.code ?? ""} ${n.lastError.title ?? ""}</span>${
        n.lastError.at ? html` (${when(n.lastError.at)})` : ""
      }`,
    );
  for (const u of n.unknownNumbers ?? [])
    parts.push(
      html`Number ${u.phoneNumberId} is not connected here: ${u.messages} messages, ${u.statuses} statuses ignored
      (last ${when(u.lastAt)})`,
    );
  if (st?.lastFailedSend) parts.push(html`Send failed: ${st.lastFailedSend.error} (${when(st.lastFailedSend.at)})`);
  return parts.length ? html`${parts.map((p) => html`<p>${p}</p>`)}` : html`<span class="muted">none</span>`;
}
