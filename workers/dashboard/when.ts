import { html } from "hono/html";
import { relativeTime } from "../lib/zone-time";
import { fmtTime } from "./layout";

/** A time as people scan it: "4 min ago", with the exact time in the workspace zone beside it. */
export function when(ms: number | null, timeZone: string, now: number) {
  if (ms === null) return html`<span class="muted">—</span>`;
  return html`<time datetime="${new Date(ms).toISOString()}"
    title="${timeZone}">${fmtTime(ms, timeZone)}</time> <span class="muted">(${relativeTime(ms, now)})</span>`;
}
