import { html } from "hono/html";
import { WEBHOOK_EVENTS } from "../../db/schema";
import type { WebhookDelivery } from "../domain/channels/webhook-deliveries";
import type { WebhookEndpoint } from "../domain/channels/webhooks";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";
import { fmtTime } from "./layout";

type Values = Record<string, string>;

/** A secret the owner sees this once (after creation or rotation), with a copy button. */
function secretOnce(secret: string, note: string) {
  return html`<section class="card" role="status"><p>${note}</p>
  <pre id="new-secret" data-secret>${secret}</pre>
  <button type="button" data-copy="new-secret">Copy secret</button></section>`;
}

function endpointFields(v: Values, errors: PageErrors, withActive: boolean) {
  return html`<p><label for="url">HTTPS URL</label>
  <input id="url" name="url" value="${v.url ?? ""}" style="width:100%" ${invalidAttrs(errors, "url")}>
  ${errorFor(errors, "url")}</p>
  <fieldset ${invalidAttrs(errors, "events")}><legend>Events</legend>
  ${WEBHOOK_EVENTS.map(
    (ev) => html`<label>
    <input type="checkbox" name="event_${ev}" ${v[`event_${ev}`] === "on" ? "checked" : ""}> ${ev}</label>`,
  )}
  ${errorFor(errors, "events")}</fieldset>
  ${
    withActive
      ? html`<p><label><input type="checkbox" name="active" ${v.active === "on" ? "checked" : ""}>
      Active (paused endpoints get nothing, queued deliveries included)</label></p>`
      : ""
  }
  ${errorFor(errors, "form")}`;
}

export function webhooksBody(
  endpoints: WebhookEndpoint[],
  opts: { created?: WebhookEndpoint; values?: Values; errors?: PageErrors } = {},
) {
  const v = opts.values ?? { "event_lead.created": "on" };
  return html`
${opts.created ? secretOnce(opts.created.secret, "Endpoint added. Its signing secret, shown this once:") : ""}
<table data-table="webhooks"><thead>
<tr><th>URL</th><th>Events</th><th>Active</th><th>Secret</th><th></th></tr></thead><tbody>
${endpoints.length === 0 ? html`<tr><td colspan="5" class="muted">No endpoints yet.</td></tr>` : ""}
${endpoints.map(
  (e) => html`<tr data-webhook-id="${e.id}"><td><a href="/app/webhooks/${e.id}">${e.url}</a></td>
  <td>${e.events.join(", ")}</td>
  <td>${e.active ? "yes" : "no"}</td><td><code>${e.secret.slice(0, 10)}…</code></td>
  <td><form method="post" action="/app/webhooks/${e.id}/delete">
    <button type="submit" aria-label="Delete ${e.url}">Delete</button></form></td></tr>`,
)}
</tbody></table>
<form method="post" action="/app/webhooks" class="card" novalidate>
  <h2>Add an endpoint</h2>
  ${endpointFields(v, opts.errors ?? {}, false)}
  <button type="submit">Add endpoint</button>
</form>
${verifyingHelp()}
<script src="/app/assets/dashboard.js"></script>`;
}

function verifyingHelp() {
  return html`<section class="card"><h2>Verifying a delivery</h2>
<p>Each POST carries <code>LeadRelay-Event</code>, <code>LeadRelay-Delivery</code> (the event id: deliveries are at
least once, dedup on it) and <code>LeadRelay-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, where
<code>v1 = HMAC-SHA256(secret, t + "." + raw body)</code>.
Reject signatures older than 5 minutes. Failed deliveries are retried. For 24 hours after a rotation there are two
<code>v1=</code> entries, one per secret: accept the delivery when either matches the secret you hold.</p></section>`;
}

export interface EndpointPageState {
  values: Values;
  errors?: PageErrors;
  saved?: boolean;
  /** The new secret right after a rotation. */
  rotated?: WebhookEndpoint;
  /** The first attempt of a test event just sent (null: queued, not attempted yet). */
  tested?: { delivery: WebhookDelivery | null };
  testError?: string;
}

/** One endpoint: edit it, rotate its secret, send a test event, see its last deliveries, delete it. */
export function webhookEndpointBody(
  e: WebhookEndpoint,
  deliveries: WebhookDelivery[],
  timeZone: string,
  s: EndpointPageState,
) {
  const errors = s.errors ?? {};
  const overlap = e.previousSecret && e.previousSecretExpiresAt !== null ? e.previousSecretExpiresAt : null;
  return html`
${s.saved ? html`<p role="status" class="card">Saved.</p>` : ""}
${
  s.rotated
    ? secretOnce(
        s.rotated.secret,
        "New signing secret, shown this once. The old one keeps signing deliveries for 24 hours " +
          "(a second v1= entry), so switch your receiver to this one before then:",
      )
    : ""
}
${s.tested ? testResult(s.tested.delivery) : ""}
${s.testError ? html`<p class="card err" role="alert" data-test-error>${s.testError}</p>` : ""}
<form method="post" action="/app/webhooks/${e.id}" class="card" novalidate>
  <h2>Endpoint</h2>
  ${endpointFields(s.values, errors, true)}
  <button type="submit">Save endpoint</button>
</form>
<section class="card"><h2>Signing secret</h2>
  <p>Current secret begins <code>${e.secret.slice(0, 10)}…</code>.${
    overlap ? html` The previous secret also signs deliveries until ${fmtTime(overlap, timeZone)}.` : ""
  }</p>
  <form method="post" action="/app/webhooks/${e.id}/rotate"><button type="submit">Rotate secret</button></form>
</section>
<section class="card"><h2>Test</h2>
  <p>Sends a signed <code>webhook.test</code> event to this URL now, the way real events go.</p>
  <form method="post" action="/app/webhooks/${e.id}/test"><button type="submit">Send test event</button></form>
</section>
<section class="card"><h2>Last deliveries</h2>
${
  deliveries.length === 0
    ? html`<p class="muted">Nothing delivered yet.</p>`
    : html`<table data-table="deliveries"><thead>
  <tr><th>Time</th><th>Event</th><th>Status code</th><th>Outcome</th><th>Error</th></tr></thead><tbody>
  ${deliveries.map(
    (d) => html`<tr data-delivery-id="${d.id}"><td>${fmtTime(d.attemptedAt, timeZone)}</td>
    <td>${d.eventType}<br><code class="muted">${d.eventId}</code></td>
    <td data-status-code>${d.statusCode ?? "no answer"}</td><td>${d.outcome}</td><td>${d.error ?? ""}</td></tr>`,
  )}
  </tbody></table>`
}
</section>
<form method="post" action="/app/webhooks/${e.id}/delete" class="card">
  <button type="submit" aria-label="Delete ${e.url}">Delete endpoint</button></form>
${verifyingHelp()}
<script src="/app/assets/dashboard.js"></script>`;
}

function testResult(d: WebhookDelivery | null) {
  if (!d)
    return html`<p class="card" role="status" data-test-result>Test event queued; it is sent within a minute.</p>`;
  const answered = d.statusCode === null ? "no answer" : `HTTP ${d.statusCode}`;
  const ok = d.outcome === "sent";
  const why = d.error && !ok ? ` (${d.error})` : "";
  return html`<p class="card ${ok ? "" : "err"}" role="status" data-test-result>
  Test event ${ok ? "delivered" : "not delivered"}: ${answered}${why}.</p>`;
}

/** A saved endpoint as the page's control values. */
export function webhookValues(e: WebhookEndpoint): Values {
  const v: Values = { url: e.url, active: e.active ? "on" : "" };
  for (const ev of e.events) v[`event_${ev}`] = "on";
  return v;
}

/** The endpoint form's controls as the API's webhook input (`active` only where the form has it). */
export function webhookInputFrom(v: Values, withActive = false) {
  return {
    url: (v.url ?? "").trim(),
    events: WEBHOOK_EVENTS.filter((ev) => v[`event_${ev}`] === "on"),
    ...(withActive ? { active: v.active === "on" } : {}),
  };
}
