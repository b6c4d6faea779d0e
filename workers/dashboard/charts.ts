import { html } from "hono/html";

/**
 * Inline SVG charts, rendered on the server: no chart library, no client JS, readable without styles.
 * Each chart is an `<svg role="img">` with an aria-label and a `<title>` per mark (tooltips, screen readers),
 * and a `data-chart` name the browser tests look for.
 */

export const SOURCE_COLORS: Record<string, string> = {
  form: "#0969da",
  whatsapp: "#1a7f37",
  telegram: "#8250df",
  api: "#bf8700",
  import: "#57606a",
};
const color = (key: string) => SOURCE_COLORS[key] ?? "#6e7781";

/** In place of a chart with nothing to draw: a sentence, not an empty 0–1 axis. */
function emptyChart(name: string) {
  return html`<p class="muted" data-chart-empty="${name}">No leads in this range yet.</p>`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  // Times are whole milliseconds: 0 means it took less than one, which "0 ms" misstates.
  if (ms < 1) return "under 1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** Leads per day, one stacked bar per day, one colour per source. */
export function stackedDays(
  name: string,
  label: string,
  days: { day: string; bySource: Record<string, number> }[],
  keys: readonly string[],
  /** Where a bar segment leads: that day's leads of that source. */
  linkFor?: (day: string, key: string) => string,
) {
  if (!days.some((d) => Object.values(d.bySource).some((v) => v > 0))) return emptyChart(name);
  const W = 720;
  const H = 200;
  const pad = { l: 32, b: 24, t: 8 };
  const max = Math.max(1, ...days.map((d) => Object.values(d.bySource).reduce((a, b) => a + b, 0)));
  const slot = (W - pad.l) / Math.max(1, days.length);
  const bw = Math.max(2, slot * 0.75);
  const y = (v: number) => ((H - pad.b - pad.t) * v) / max;
  const labelEvery = Math.ceil(days.length / 10);
  return html`<figure class="chart">
    <svg data-chart="${name}" role="img" aria-label="${label}" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none">
      <line x1="${pad.l}" y1="${H - pad.b}" x2="${W}" y2="${H - pad.b}" class="axis" />
      <text x="${pad.l - 4}" y="${pad.t + 10}" text-anchor="end" class="tick">${max}</text>
      <text x="${pad.l - 4}" y="${H - pad.b}" text-anchor="end" class="tick">0</text>
      ${days.map((d, i) => {
        let base = H - pad.b;
        const x = pad.l + i * slot + (slot - bw) / 2;
        return html`<g>
          ${keys
            .filter((k) => (d.bySource[k] ?? 0) > 0)
            .map((k) => {
              const h = y(d.bySource[k]!);
              base -= h;
              const bar = html`<rect x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${bw.toFixed(1)}"
                height="${h.toFixed(1)}" fill="${color(k)}"
                data-source="${k}"><title>${d.day} · ${k}: ${d.bySource[k]}</title></rect>`;
              return linkFor ? html`<a href="${linkFor(d.day, k)}">${bar}</a>` : bar;
            })}
          ${
            i % labelEvery === 0
              ? html`<text x="${(x + bw / 2).toFixed(1)}" y="${H - 6}" text-anchor="middle"
                  class="tick">${d.day.slice(5)}</text>`
              : ""
          }
        </g>`;
      })}
    </svg>
    <figcaption>${keys.map(
      (k) => html`<span class="key"><i style="background:${color(k)}"></i>${k}</span>`,
    )}</figcaption>
  </figure>`;
}

export interface BarRow {
  label: string;
  value: number;
  /** Text after the bar; defaults to the value. */
  note?: string;
  color?: string;
  /** Where the bar leads (its leads in the list). */
  href?: string;
}

const link = (href: string | undefined, bar: ReturnType<typeof html>) =>
  href ? html`<a href="${href}">${bar}</a>` : bar;

/** Horizontal bars (funnel, conversion): one row per label, scaled to `max` or the largest value. */
export function hbars(name: string, label: string, rows: BarRow[], max?: number) {
  // Shares (max 1) of a range with leads stay drawn: a 0 % bar says something; counts of nothing do not.
  if (rows.length === 0 || (!rows.some((r) => r.value > 0) && !(max && max > 0))) return emptyChart(name);
  const W = 520;
  const row = 28;
  const lw = 120;
  const top = Math.max(1e-9, max ?? Math.max(0, ...rows.map((r) => r.value)));
  const H = Math.max(row, rows.length * row);
  return html`<svg data-chart="${name}" role="img" aria-label="${label}" viewBox="0 0 ${W} ${H}" class="hbars">
    ${rows.map((r, i) => {
      const w = ((W - lw - 110) * r.value) / top;
      return html`<g>
        <text x="${lw - 6}" y="${i * row + 18}" text-anchor="end" class="lbl">${r.label}</text>
        ${link(
          r.href,
          html`<rect x="${lw}" y="${i * row + 5}" width="${Math.max(r.value > 0 ? 2 : 0, w).toFixed(1)}"
            height="${row - 10}" fill="${r.color ?? "#0969da"}"><title>${r.label}: ${r.note ?? r.value}</title></rect>`,
        )}
        <text x="${(lw + w + 6).toFixed(1)}" y="${i * row + 18}" class="val">${r.note ?? String(r.value)}</text>
      </g>`;
    })}
  </svg>`;
}

/** Median and p90 per row, two bars each (p90 lighter): speed to lead per rep. */
export function delayBars(
  name: string,
  label: string,
  rows: { label: string; median: number | null; p90: number | null; count: number }[],
) {
  const W = 520;
  const row = 40;
  const lw = 120;
  const max = Math.max(1, ...rows.map((r) => r.p90 ?? 0));
  const scale = (v: number | null) => (v === null ? 0 : ((W - lw - 210) * v) / max);
  const H = Math.max(row, rows.length * row);
  return html`<svg data-chart="${name}" role="img" aria-label="${label}" viewBox="0 0 ${W} ${H}" class="hbars">
    ${rows.map(
      (r, i) => html`<g>
      <text x="${lw - 6}" y="${i * row + 22}" text-anchor="end" class="lbl">${r.label}</text>
      <rect x="${lw}" y="${i * row + 6}" width="${scale(r.p90).toFixed(1)}" height="12" fill="#b6d4fb"
        data-stat="p90"><title>${r.label} p90: ${formatDuration(r.p90)} (${r.count} leads)</title></rect>
      <rect x="${lw}" y="${i * row + 20}" width="${scale(r.median).toFixed(1)}" height="12" fill="#0969da"
        data-stat="median"><title>${r.label} median: ${formatDuration(r.median)} (${r.count} leads)</title></rect>
      <text x="${(lw + Math.max(scale(r.p90), scale(r.median)) + 6).toFixed(1)}" y="${i * row + 24}"
        class="val">med ${formatDuration(r.median)} · p90 ${formatDuration(r.p90)} · n=${r.count}</text>
    </g>`,
    )}
  </svg>`;
}
