import { html } from "hono/html";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";

export interface ConnectState {
  /** Which form the values and errors belong to. */
  kind?: "telegram" | "whatsapp";
  values?: Record<string, string>;
  errors?: PageErrors;
  /** After a number is connected: what to paste at Meta, shown in full this once. */
  whatsappDone?: { webhookUrl: string; verifyToken: string };
  telegramDone?: { botUsername: string };
}

function field(name: string, label: string, s: ConnectState, kind: ConnectState["kind"], attrs = html``) {
  const errors = s.kind === kind ? (s.errors ?? {}) : {};
  const value = s.kind === kind ? (s.values?.[name] ?? "") : "";
  return html`<p><label for="${kind}-${name}">${label}</label>
  <input id="${kind}-${name}" name="${name}" value="${value}" style="width:100%" autocomplete="off" ${attrs}
    ${invalidAttrs(errors, name)}>${errorFor(errors, name)}</p>`;
}

/** Connect forms: a Telegram bot by its token, a WhatsApp number in the steps Meta's side needs. */
export function channelConnectForms(s: ConnectState, verifyTokenSuggestion: string) {
  const wa = s.kind === "whatsapp" ? (s.values ?? {}) : {};
  const waErrors = s.kind === "whatsapp" ? (s.errors ?? {}) : {};
  const formError = s.errors?.form;
  return html`
${
  s.telegramDone
    ? html`<section class="card" role="status">
  <p>Connected @${s.telegramDone.botUsername}. Its webhook is registered.</p></section>`
    : ""
}
${
  s.whatsappDone
    ? html`<section class="card" role="status" data-section="whatsapp-next">
  <h2>Last step, at Meta</h2>
  <p>In your Meta app: WhatsApp → Configuration → Webhook → Edit. Paste these two values, save, then subscribe
  to <strong>messages</strong>.</p>
  <p>Callback URL: <code data-callback-url>${s.whatsappDone.webhookUrl}</code></p>
  <p>Verify token: <code data-verify-token>${s.whatsappDone.verifyToken}</code></p></section>`
    : ""
}
${formError ? html`<p class="card err" role="alert">${formError}</p>` : ""}
<form method="post" action="/app/channels/telegram" class="card" novalidate>
  <h2>Connect a Telegram bot</h2>
  <p class="muted">Create a bot with @BotFather (/newbot) and paste the token it gives you.</p>
  ${field("token", "Bot token", s, "telegram", html`placeholder="123456789:AA…"`)}
  <button type="submit">Connect bot</button>
</form>
<form method="post" action="/app/channels/whatsapp" class="card" novalidate>
  <h2>Connect a WhatsApp number</h2>
  <ol>
    <li>In Meta for Developers, open your app's WhatsApp → API Setup: copy the <strong>phone number ID</strong> and a
      permanent <strong>access token</strong> (a system user token with whatsapp_business_messaging).</li>
    <li>In App settings → Basic, copy the <strong>app secret</strong>: it checks that webhooks really come from
      Meta.</li>
    <li>Keep the verify token below (or choose your own); you paste it at Meta after connecting.</li>
  </ol>
  ${field("phoneNumberId", "Phone number ID", s, "whatsapp", html`inputmode="numeric"`)}
  ${field("accessToken", "Access token", s, "whatsapp")}
  ${field("appSecret", "App secret", s, "whatsapp")}
  <p><label for="whatsapp-verifyToken">Verify token</label>
  <input id="whatsapp-verifyToken" name="verifyToken" value="${wa.verifyToken ?? verifyTokenSuggestion}"
    style="width:100%" autocomplete="off"
    ${invalidAttrs(waErrors, "verifyToken")}>${errorFor(waErrors, "verifyToken")}</p>
  <button type="submit">Connect number</button>
</form>`;
}
