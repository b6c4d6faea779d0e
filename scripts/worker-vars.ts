/**
 * The Worker settings `npm start` takes from the shell environment and hands to `wrangler dev` (as `--var`),
 * so a local run can point at a self-hosted Bot API, a fake, an email API or Turnstile without editing
 * `.dev.vars`. `wrangler dev` alone reads only wrangler.toml and `.dev.vars`, never the shell.
 * LIBSQL_URL is not here: `npm start` serves its own database and sets it.
 */
export const PASSED_FROM_ENV = [
  "TELEGRAM_API_ROOT",
  "WHATSAPP_GRAPH_URL",
  "PUBLIC_URL",
  "EMAIL_API_URL",
  "EMAIL_API_KEY",
  "EMAIL_FROM",
  "TURNSTILE_SECRET",
  "TURNSTILE_VERIFY_URL",
  "ADMIN_TOKEN",
  "SESSION_SECRET",
] as const;

/** The listed names that are set (and not empty) in `env`. */
export function workerVarsFromEnv(env: Record<string, string | undefined>): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of PASSED_FROM_ENV) {
    const value = env[name];
    if (value !== undefined && value !== "") vars[name] = value;
  }
  return vars;
}
