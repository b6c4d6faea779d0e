import type { Context } from "hono";
import type { Config } from "../config";

/**
 * The visitor's address, from the one header the deployment says its proxy sets (`CLIENT_IP_HEADER`). Any
 * client can send `CF-Connecting-IP` or `X-Forwarded-For` itself: the header is only truthful when something
 * in front overwrites it (Cloudflare's edge does for CF-Connecting-IP). Trusting it elsewhere would let one
 * client pick a fresh address per request and walk past the per-IP limit. Unset → unknown (null).
 */
export function clientIp(c: Context, config: Config): string | null {
  const name = config.CLIENT_IP_HEADER;
  if (!name) return null;
  const value = c.req.header(name);
  if (!value) return null;
  // A proxy appends the address it saw to a list: only the last entry was written by the trusted hop.
  const last = value.split(",").at(-1)!.trim();
  return last && last.length <= 64 ? last : null;
}
