import { html } from "hono/html";
import { LEAD_SOURCES } from "../../db/schema";
import type { SampleLead, ScorePreview } from "../domain/capture/score-preview";
import type { ScoringRules } from "../domain/capture/scoring";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";

type Values = Record<string, string>;

// Controls side by side that wrap on a phone (the console's .grid columns are too wide inside a fieldset there).
const ROW = "display:flex;flex-wrap:wrap;gap:0 1.5rem";

/** Empty rows offered under the saved ones, so a rule can be added without a separate step. */
const SPARE_ROWS = 2;

/** Blank → absent (the schema's default or its "required"), a number → that number, anything else as typed. */
function num(s: string | undefined): number | string | undefined {
  const t = (s ?? "").trim();
  if (t === "") return undefined;
  return Number.isFinite(Number(t)) ? Number(t) : t;
}
const list = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const str = (n: number | undefined) => (n === undefined ? "" : String(n));

/** Saved rules as the page's control values (the same shape a post of the page sends back). */
export function scoringValues(r: ScoringRules): Values {
  const v: Values = {
    base: String(r.base),
    hotThreshold: String(r.hotThreshold),
    contact_name: String(r.contact.name),
    contact_email: String(r.contact.email),
    contact_phone: String(r.contact.phone),
    replied: String(r.engagement.replied),
    ad_mediums: r.adClick.mediums.join(", "),
    ad_points: String(r.adClick.points),
  };
  for (const [source, pts] of Object.entries(r.sources)) v[`source_${source}`] = String(pts);
  Object.entries(r.utmSources).forEach(([key, pts], i) => {
    v[`utm${i}_key`] = key;
    v[`utm${i}_points`] = String(pts);
  });
  r.fields.forEach((f, i) => {
    v[`field${i}_name`] = f.field;
    v[`field${i}_equals`] = (f.equals ?? []).join(", ");
    v[`field${i}_min`] = str(f.min);
    v[`field${i}_points`] = String(f.points);
    v[`field${i}_label`] = f.label ?? "";
  });
  r.recency.forEach((w, i) => {
    v[`recency${i}_hours`] = String(w.withinHours);
    v[`recency${i}_points`] = String(w.points);
  });
  return v;
}

/** Rows of a repeated group up to its last non-blank one, so re-showing a posted page adds no rows. */
function rowsIn(v: Values, prefix: string, first: string): number {
  let n = 0;
  for (let i = 0; v[`${prefix}${i}_${first}`] !== undefined; i++) {
    const row = `${prefix}${i}_`;
    if (Object.entries(v).some(([k, x]) => k.startsWith(row) && x.trim() !== "")) n = i + 1;
  }
  return n;
}

/**
 * The page's controls as the API's scoring rules, for the same zod schema to judge, and where each message
 * goes: `fields.1.points` → the points of the row that rule came from (blank rows are skipped).
 */
export function scoringInputFrom(v: Values) {
  const fieldRow: number[] = [];
  const fields = [];
  for (let i = 0; v[`field${i}_name`] !== undefined; i++) {
    const name = (v[`field${i}_name`] ?? "").trim();
    if (!name && !(v[`field${i}_points`] ?? "").trim()) continue;
    const equals = list(v[`field${i}_equals`]);
    const label = (v[`field${i}_label`] ?? "").trim();
    fields.push({
      field: name,
      ...(equals.length ? { equals } : {}),
      ...(num(v[`field${i}_min`]) !== undefined ? { min: num(v[`field${i}_min`]) } : {}),
      points: num(v[`field${i}_points`]),
      ...(label ? { label } : {}),
    });
    fieldRow.push(i);
  }
  const recencyRow: number[] = [];
  const recency = [];
  for (let i = 0; v[`recency${i}_hours`] !== undefined; i++) {
    if (!(v[`recency${i}_hours`] ?? "").trim() && !(v[`recency${i}_points`] ?? "").trim()) continue;
    recency.push({ withinHours: num(v[`recency${i}_hours`]), points: num(v[`recency${i}_points`]) });
    recencyRow.push(i);
  }
  const utmRow = new Map<string, number>();
  const utmSources: Record<string, unknown> = {};
  for (let i = 0; v[`utm${i}_key`] !== undefined; i++) {
    const key = (v[`utm${i}_key`] ?? "").trim().toLowerCase();
    if (!key) continue;
    utmSources[key] = num(v[`utm${i}_points`]);
    utmRow.set(key, i);
  }
  const sources: Record<string, unknown> = {};
  for (const s of LEAD_SOURCES) if (num(v[`source_${s}`]) !== undefined) sources[s] = num(v[`source_${s}`]);

  const control = (path: string): string => {
    const [head, a, b] = path.split(".");
    if (head === "contact" && a) return `contact_${a}`;
    if (head === "sources" && a) return `source_${a}`;
    if (head === "utmSources" && a) return `utm${utmRow.get(a) ?? 0}_points`;
    if (head === "engagement") return "replied";
    if (head === "adClick") return a === "points" ? "ad_points" : "ad_mediums";
    if (head === "fields" && a) {
      const part = b === "field" ? "name" : (b ?? "points");
      return `field${fieldRow[Number(a)] ?? 0}_${part}`;
    }
    if (head === "recency" && a) return `recency${recencyRow[Number(a)] ?? 0}_${b === "points" ? "points" : "hours"}`;
    return head || "form";
  };
  const input = {
    base: num(v.base),
    hotThreshold: num(v.hotThreshold),
    contact: { name: num(v.contact_name), email: num(v.contact_email), phone: num(v.contact_phone) },
    sources,
    utmSources,
    fields,
    engagement: { replied: num(v.replied) },
    adClick: { mediums: list(v.ad_mediums), points: num(v.ad_points) },
    recency,
  };
  return { input, control };
}

/** The preview's sample lead from its controls; answers are one `field = value` a line. */
export function sampleFrom(v: Values): SampleLead {
  const text = (k: string) => (v[k]?.trim() ? v[k].trim() : undefined);
  const fields: Record<string, string> = {};
  for (const line of (v.sample_answers ?? "").split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  const source = LEAD_SOURCES.find((s) => s === v.sample_source) ?? "form";
  const hours = Number(v.sample_hours);
  return {
    source,
    name: text("sample_name"),
    email: text("sample_email"),
    phone: text("sample_phone"),
    utmSource: text("sample_utmSource"),
    utmMedium: text("sample_utmMedium"),
    fields,
    replied: v.sample_replied === "on",
    hoursSinceInbound: Number.isFinite(hours) && hours >= 0 ? hours : 0,
  };
}

function numberInput(v: Values, errors: PageErrors, name: string, label: string, attrs = html``) {
  return html`<p><label for="${name}">${label}</label>
  <input id="${name}" name="${name}" type="text" inputmode="numeric" size="4" value="${v[name] ?? ""}" ${attrs}
    ${invalidAttrs(errors, name)}>
  ${errorFor(errors, name)}</p>`;
}

/** A control inside a rule row: labelled for assistive tech by `label`, its message right under it. */
function cell(v: Values, errors: PageErrors, name: string, label: string, attrs = html``) {
  return html`<td><input name="${name}" id="${name}" aria-label="${label}" value="${v[name] ?? ""}" ${attrs}
    ${invalidAttrs(errors, name)}>
  ${errorFor(errors, name)}</td>`;
}

export interface ScoringPageState {
  values: Values;
  errors?: PageErrors;
  saved?: boolean;
  preview?: ScorePreview;
  rescored?: { rescored: number; truncated: boolean };
}

export function scoringBody(s: ScoringPageState) {
  const v = s.values;
  const errors = s.errors ?? {};
  const fieldRows = rowsIn(v, "field", "name") + SPARE_ROWS;
  const utmRows = rowsIn(v, "utm", "key") + SPARE_ROWS;
  const recencyRows = rowsIn(v, "recency", "hours") + 1;
  const pts = html`type="text" inputmode="numeric" size="4"`;
  return html`
${
  s.saved
    ? html`<p class="card" role="status">Saved. New leads are scored with these rules; rescore the open ones below
  to apply them there too.</p>`
    : ""
}
${s.rescored ? rescoredNote(s.rescored) : ""}
${errors.form ? html`<p class="card err" role="alert">${errors.form}</p>` : ""}
<form method="post" action="/app/scoring" class="card" data-form="scoring" novalidate>
  <p>Every lead gets the base points plus the points of each rule that fires, clamped to 1–10; at the hot
  threshold or above it is flagged <span class="hot">hot</span>. Points run from −10 to 10.</p>
  <div style="${ROW}">
    ${numberInput(v, errors, "base", "Base points (0–10)")}
    ${numberInput(v, errors, "hotThreshold", "Hot at score (1–10)")}
  </div>
  <fieldset style="min-width:0"><legend>Contact details given</legend><div style="${ROW}">
    ${numberInput(v, errors, "contact_name", "Gave a name")}
    ${numberInput(v, errors, "contact_email", "Gave an email address")}
    ${numberInput(v, errors, "contact_phone", "Reachable by phone or WhatsApp")}
  </div></fieldset>
  <fieldset style="min-width:0"><legend>Channel the lead came through (blank: no points)</legend><div style="${ROW}">
    ${LEAD_SOURCES.map((src) => numberInput(v, errors, `source_${src}`, src))}
  </div></fieldset>
  <fieldset style="min-width:0"><legend>Answers to form fields (first matching rule per field wins)</legend>
  <div style="overflow-x:auto"><table data-table="field-rules"><thead>
  <tr><th>Field</th><th>Answer is one of (comma-separated; blank: any)</th>
    <th>or a number at least</th><th>Points</th><th>Shown as</th></tr></thead><tbody>
  ${Array.from(
    { length: fieldRows },
    (_, i) => html`<tr>
    ${cell(v, errors, `field${i}_name`, `Answer rule ${i + 1} field`, html`size="12"`)}
    ${cell(v, errors, `field${i}_equals`, `Answer rule ${i + 1} answers`)}
    ${cell(v, errors, `field${i}_min`, `Answer rule ${i + 1} minimum`, pts)}
    ${cell(v, errors, `field${i}_points`, `Answer rule ${i + 1} points`, pts)}
    ${cell(v, errors, `field${i}_label`, `Answer rule ${i + 1} label`)}</tr>`,
  )}
  </tbody></table></div><p class="muted">Clear a rule's field to remove it.</p></fieldset>
  <fieldset style="min-width:0"><legend>Campaign source (utm_source)</legend>
  <div style="overflow-x:auto"><table data-table="utm-rules">
  <thead><tr><th>utm_source</th><th>Points</th></tr></thead><tbody>
  ${Array.from(
    { length: utmRows },
    (_, i) => html`<tr>${cell(v, errors, `utm${i}_key`, `Campaign rule ${i + 1} source`)}
    ${cell(v, errors, `utm${i}_points`, `Campaign rule ${i + 1} points`, pts)}</tr>`,
  )}
  </tbody></table></div></fieldset>
  <fieldset style="min-width:0"><legend>Intent</legend><div style="${ROW}">
    ${numberInput(v, errors, "replied", "Came back or replied")}
    ${numberInput(v, errors, "ad_points", "Clicked a paid ad")}
    <p><label for="ad_mediums">Paid-ad utm_medium values (comma-separated)</label>
    <input id="ad_mediums" name="ad_mediums" value="${v.ad_mediums ?? ""}" ${invalidAttrs(errors, "ad_mediums")}>
    ${errorFor(errors, "ad_mediums")}</p>
  </div></fieldset>
  <fieldset style="min-width:0"><legend>Recency (the shortest window containing the last message applies)</legend>
  <div style="overflow-x:auto"><table data-table="recency-rules">
  <thead><tr><th>Within hours</th><th>Points</th></tr></thead><tbody>
  ${Array.from(
    { length: recencyRows },
    (_, i) => html`<tr>${cell(v, errors, `recency${i}_hours`, `Recency rule ${i + 1} hours`, pts)}
    ${cell(v, errors, `recency${i}_points`, `Recency rule ${i + 1} points`, pts)}</tr>`,
  )}
  </tbody></table></div></fieldset>
  <button type="submit">Save rules</button>

  <h2>Preview</h2>
  <p class="muted">Scores a lead with the rules above as they are on this page, saved or not; nothing is changed.</p>
  <p><label for="preview_lead">An existing lead (id, name, email or phone; blank: the sample below)</label>
  <input id="preview_lead" name="preview_lead" value="${v.preview_lead ?? ""}" ${invalidAttrs(errors, "lead")}>
  ${errorFor(errors, "lead")}</p>
  <fieldset style="min-width:0"><legend>Sample lead</legend><div style="${ROW}">
    <p><label for="sample_source">Sample came through</label><select id="sample_source" name="sample_source">
    ${LEAD_SOURCES.map((src) => html`<option ${v.sample_source === src ? "selected" : ""}>${src}</option>`)}
    </select></p>
    ${sampleInput(v, "sample_name", "Sample name")}
    ${sampleInput(v, "sample_email", "Sample email")}
    ${sampleInput(v, "sample_phone", "Sample phone")}
    ${sampleInput(v, "sample_utmSource", "Sample utm_source")}
    ${sampleInput(v, "sample_utmMedium", "Sample utm_medium")}
    ${sampleInput({ sample_hours: "0", ...v }, "sample_hours", "Sample's last message, hours ago")}
  </div>
  <p><label for="sample_answers">Sample answers, one <code>field = value</code> a line</label>
  <textarea id="sample_answers" name="sample_answers" rows="3" style="width:100%">${v.sample_answers ?? ""}</textarea>
  </p>
  <p><label><input type="checkbox" name="sample_replied" ${v.sample_replied === "on" ? "checked" : ""}>
    Sample came back or replied</label></p>
  </fieldset>
  <button type="submit" formaction="/app/scoring/preview" formmethod="get">Preview score</button>
</form>
${s.preview ? previewCard(s.preview) : ""}
<form method="post" action="/app/scoring/rescore" class="card">
  <p>Rules apply to leads scored from the moment they are saved. Rescoring applies the saved rules to the open
  leads (new, contacted, qualified) now.</p>
  <button type="submit">Rescore open leads</button>
</form>`;
}

function sampleInput(v: Values, name: string, label: string) {
  return html`<p><label for="${name}">${label}</label><input id="${name}" name="${name}" value="${v[name] ?? ""}"></p>`;
}

function rescoredNote(r: { rescored: number; truncated: boolean }) {
  const more = r.truncated ? " (the newest 5,000; rescore again for more)" : "";
  return html`<p class="card" role="status" data-rescored>Rescored ${r.rescored} open leads${more}.</p>`;
}

function previewCard(p: ScorePreview) {
  return html`<section class="card" data-preview aria-live="polite"><h2>Preview score</h2>
  ${
    p.lead
      ? html`<p>Lead <a href="/app/leads/${p.lead.id}">${p.lead.name ?? p.lead.email ?? p.lead.phone ?? p.lead.id}</a>
      (now scored ${p.lead.score ?? "—"}).</p>`
      : html`<p>The sample lead.</p>`
  }
  <p class="big"><span data-preview-score>${p.score}</span>${p.hot ? html` <span class="hot">hot</span>` : ""}</p>
  <table data-table="preview-rules"><thead><tr><th>Rule that fired</th><th>Points</th></tr></thead><tbody>
  ${p.reasons.map(
    (r) => html`<tr data-rule="${r.rule}"><td>${r.label}</td><td>${r.points > 0 ? `+${r.points}` : r.points}</td></tr>`,
  )}
  </tbody></table></section>`;
}
