import { html } from "hono/html";
import { CSS } from "./layout";

function shell(title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · LeadRelay</title><style>${CSS}</style></head>
<body><main style="max-width:28rem">
<h1>LeadRelay</h1>
${body}
</main></body></html>`;
}

const errorLine = (id: string, error?: string) =>
  error ? html`<p id="${id}" class="err" role="alert">${error}</p>` : "";
const field = "width:100%;margin:.3rem 0 .8rem";

export interface SignInState {
  error?: string;
  /** Which form the error belongs to. */
  form?: "password" | "code" | "key";
  email?: string;
  codeSent?: boolean;
}

/** Email + password; a one-time code to the linked chat; the workspace API key for a first sign-in. */
export function signInPage(s: SignInState = {}) {
  const err = (form: SignInState["form"]) => (s.form === form ? s.error : undefined);
  return shell(
    "Sign in",
    html`<form method="post" action="/app/login" class="card">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" value="${s.email ?? ""}" style="${field}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" style="${field}"
    ${err("password") ? html`aria-invalid="true" aria-describedby="password-error"` : ""}>
  ${errorLine("password-error", err("password"))}
  <button type="submit">Sign in</button>
</form>
<form method="post" action="/app/login/code" class="card">
  <p>Or get a one-time code in your Telegram or WhatsApp chat.</p>
  <label for="code-email">Email</label>
  <input id="code-email" name="email" type="email" value="${s.email ?? ""}" required style="${field}">
  ${
    s.codeSent
      ? html`<p role="status">If that address has a linked chat, a code is on its way (valid 10 minutes).</p>
  <label for="code">Code</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" style="${field}">`
      : ""
  }
  ${errorLine("code-error", err("code"))}
  <button type="submit">${s.codeSent ? "Sign in with the code" : "Send me a code"}</button>
</form>
<form method="post" action="/app/login" class="card">
  <p>First sign-in of a workspace's owner: use the API key shown when the workspace was created.</p>
  <label for="apiKey">Workspace API key</label>
  <input id="apiKey" name="apiKey" type="password" autocomplete="off" style="${field}"
    ${err("key") ? html`aria-invalid="true" aria-describedby="login-error"` : ""}>
  ${errorLine("login-error", err("key"))}
  <button type="submit">Use the API key</button>
</form>`,
  );
}

export function invitePage(invite: { token: string; name: string; email: string | null }, error?: string) {
  return shell(
    "Accept invite",
    html`<form method="post" action="/app/invite/${invite.token}" class="card">
  <p>Welcome, ${invite.name}. Choose a password for <strong>${invite.email ?? ""}</strong>.</p>
  <label for="password">Password (10+ characters)</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required
    style="${field}" ${error ? html`aria-invalid="true" aria-describedby="invite-error"` : ""}>
  ${errorLine("invite-error", error)}
  <button type="submit">Set password and sign in</button>
</form>`,
  );
}

export function inviteGonePage(message: string) {
  return shell("Invite", html`<p class="card err" role="alert">${message}</p><p><a href="/app/login">Sign in</a></p>`);
}
