import type { Config } from "../../config";
import { AppError } from "../../errors";

/**
 * Checks a Turnstile token with Cloudflare's siteverify (or TURNSTILE_VERIFY_URL). A form with a site key
 * is verified only when the deployment has TURNSTILE_SECRET; otherwise Turnstile is off.
 */
export async function verifyTurnstile(config: Config, token: unknown, remoteIp: string | undefined): Promise<void> {
  if (!config.TURNSTILE_SECRET) return;
  const fail = () =>
    new AppError("FORBIDDEN", "The anti-bot check failed; reload the page and try again.", {
      fields: { turnstile: "Verification failed." },
    });
  if (typeof token !== "string" || token === "" || token.length > 2048) throw fail();
  const body = new URLSearchParams({ secret: config.TURNSTILE_SECRET, response: token });
  if (remoteIp) body.set("remoteip", remoteIp);
  let result: { success?: boolean };
  try {
    const res = await fetch(config.TURNSTILE_VERIFY_URL, { method: "POST", body });
    result = (await res.json()) as { success?: boolean };
  } catch (err) {
    // Siteverify unreachable: a 503 makes the snippet keep the entry and retry, rather than dropping a lead.
    throw new AppError("STORAGE_UNAVAILABLE", "The anti-bot check is unavailable; retry shortly.", { cause: err });
  }
  if (result.success !== true) throw fail();
}
