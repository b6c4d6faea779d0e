import { randomToken } from "./ids";

const KEY_PREFIX = "lr_";

/** A new secret API key; only its SHA-256 is stored. */
export function generateApiKey(): { key: string; prefix: string } {
  const key = `${KEY_PREFIX}${randomToken(40)}`;
  return { key, prefix: key.slice(0, 10) };
}

export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(KEY_PREFIX) && value.length >= 20 && value.length <= 100;
}
