import { timingSafeEqualText } from "./timing-safe";

async function hmacSha256Hex(secret: string, data: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const sig = await crypto.subtle.sign("HMAC", key, enc.encode(data));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * `LeadRelay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The timestamp is inside the
 * signed text so a receiver can reject replays older than a few minutes.
 */
export async function signWebhook(secret: string, body: string, timestamp: number): Promise<string> {
  return `t=${timestamp},v1=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/**
 * What a receiver does (documented in docs/api.md, "Outgoing webhooks"); used by our tests and by anyone porting it.
 */
export async function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  return timingSafeEqualText(await hmacSha256Hex(secret, `${t}.${body}`), parts.v1);
}

/**
 * Headers of one delivery attempt, signed at send time so every retry carries a fresh `t=`. The secret
 * is the one copied into the outbox row when the event was queued.
 */
export async function webhookHeaders(
  secret: string,
  event: { id: string; type: string },
  body: string,
  nowMs: number,
): Promise<Record<string, string>> {
  return {
    "content-type": "application/json",
    "user-agent": "LeadRelay-Webhooks/1",
    "leadrelay-event": event.type,
    "leadrelay-delivery": event.id,
    "leadrelay-signature": await signWebhook(secret, body, Math.floor(nowMs / 1000)),
  };
}
