import { z } from "zod";

// The environment is parsed once per isolate at the entry point (workers/index.ts keeps the parsed config
// per env object); everything below receives `Config`, never `env`, so tests and scripts can hand in an
// explicit configuration.
export const configSchema = z.object({
  LIBSQL_URL: z.url({ protocol: /^(https?|libsql|wss?)$/ }),
  LIBSQL_AUTH_TOKEN: z.string().min(1).optional(),
  // When set, creating a workspace needs `Authorization: Bearer <ADMIN_TOKEN>`. Unset = open sign-up only when
  // the database is on this machine (npm start, tests); a deployed Worker without it refuses sign-up.
  ADMIN_TOKEN: z.string().min(16).optional(),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  // Public origin the Telegram webhook is registered at (https://leads.example.com); unset = the origin of
  // the request that connects the bot.
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  WHATSAPP_GRAPH_URL: z.url().default("https://graph.facebook.com/v23.0"),
  // Transactional email API for auto-replies and email follow-ups: POST JSON {from,to,subject,text}.
  // Unset = no email is sent (rows for email wait, form leads get the thank-you response only).
  EMAIL_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMAIL_API_KEY: z.string().min(1).optional(),
  EMAIL_FROM: z.string().min(3).max(254).optional(),
  FORM_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1_048_576).default(32_768),
  // Largest owner-API JSON body (413 above); a form definition with 50 fields and their options fits.
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(1_048_576),
  // How long a form's settings are cached in the isolate; edits made through this isolate apply at once.
  FORM_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  // Signs console session cookies (HMAC-SHA256). The console refuses to sign anyone in without it, even locally:
  // `npm start` generates one into its data folder.
  SESSION_SECRET: z.string().min(32).optional(),
  // Cloudflare Turnstile: forms with a site key are verified only when the secret is set.
  TURNSTILE_SECRET: z.string().min(1).optional(),
  TURNSTILE_VERIFY_URL: z.url().default("https://challenges.cloudflare.com/turnstile/v0/siteverify"),
});

export type Config = z.infer<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; issues: string[] };

export function parseConfig(env: Record<string, unknown>): ConfigResult {
  // Empty strings (e.g. `LIBSQL_AUTH_TOKEN=` in .dev.vars) mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
}

/** The database is on this machine (npm start, tests): the only setup where sign-up may be open. */
export function isLocalDatabase(config: Config): boolean {
  const host = new URL(config.LIBSQL_URL).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}
