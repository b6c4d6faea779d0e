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
 * signed text so a receiver can reject replays older than a few minutes. During a secret rotation's overlap
 * there is one `v1=` per secret (newest first), so a receiver holding either secret verifies the delivery.
 */
export async function signWebhook(secrets: string | string[], body: string, timestamp: number): Promise<string> {
  const list = typeof secrets === "string" ? [secrets] : secrets;
  const macs = await Promise.all(list.map((secret) => hmacSha256Hex(secret, `${timestamp}.${body}`)));
  return [`t=${timestamp}`, ...macs.map((mac) => `v1=${mac}`)].join(",");
}

/** What a receiver does (documented in docs/api.md, "Outgoing webhooks"); used by our tests and by anyone porting it. */
export async function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parts = header.split(",").map((p) => {
    const at = p.indexOf("=");
    return [p.slice(0, at).trim(), p.slice(at + 1).trim()] as const;
  });
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  const macs = parts.filter(([k]) => k === "v1").map(([, v]) => v);
  if (!Number.isInteger(t) || macs.length === 0 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = await hmacSha256Hex(secret, `${t}.${body}`);
  // Every entry is compared, so the time taken says nothing about which one matched.
  return macs.map((mac) => timingSafeEqualText(expected, mac)).includes(true);
}

/**
 * Headers of one delivery attempt, signed at send time so every retry carries a fresh `t=`, with the
 * endpoint's secrets as they are at that moment (current first, then a rotated-out one still in its overlap).
 */
export async function webhookHeaders(
  secret: string | string[],
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
