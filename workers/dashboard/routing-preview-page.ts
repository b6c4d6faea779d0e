import { html } from "hono/html";
import { LEAD_SOURCES } from "../../db/schema";
import type { Form } from "../domain/capture/forms";
import type { RoutingPreview } from "../domain/routing/routing-preview";
import type { SkipReason } from "../routing/availability";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";
import { checkbox, options } from "./form-parts";

type Values = Record<string, string>;

/** Answer rows of the sample lead besides region and postal code. */
const ANSWER_ROWS = 3;
/** The answer names routing reads for region and postal-code conditions (any of them works; these are asked). */
const REGION_FIELD = "region";
const POSTAL_FIELD = "zip";

const SKIPPED: Record<SkipReason, string> = {
  inactive: "not active",
  paused: "paused",
  "zero-weight": "weight 0 (kept out of the rotation)",
  "on-vacation": "on vacation",
  "off-hours": "outside their working hours",
  "at-cap": "at their open-lead cap",
  passed: "passed on this contact before",
};

const REASONS: Record<RoutingPreview["reason"], string> = {
  sticky: "this contact came before: back to the rep who owns their lead",
  rotation: "next in the pool's rotation",
  fallback: "nobody in the pool can take it now: the pool's fallback",
  none: "nobody can take it now: it would wait in the unassigned queue",
  named: "the rep named for it",
};

/** The sample form's controls as the preview's input, and the control each message belongs under. */
export function sampleInputFrom(v: Values) {
  const text = (k: string) => (v[k]?.trim() ? v[k].trim() : undefined);
  const fields: Record<string, string> = {};
  const row = new Map<string, string>();
  for (let j = 0; j < ANSWER_ROWS; j++) {
    const name = v[`ans.name.${j}`]?.trim() ?? "";
    const value = v[`ans.value.${j}`]?.trim() ?? "";
    if (!name && !value) continue;
    fields[name] = value;
    row.set(name, `ans${j}`);
  }
  const region = text("region");
  const postal = text("postal");
  if (region) fields[REGION_FIELD] = region;
  if (postal) fields[POSTAL_FIELD] = postal;
  row.set(REGION_FIELD, "region");
  row.set(POSTAL_FIELD, "postal");
  const input = {
    source: v.source || undefined,
    formId: text("formId"),
    phone: text("phone"),
    email: text("email"),
    fields,
    hot: v.hot === "on",
  };
  const control = (path: string): string => {
    const [head, key] = path.split(".");
    if (head === "fields") return row.get(key ?? "") ?? "ans0";
    return head || "form";
  };
  return { input, control };
}

function input(v: Values, errors: PageErrors, name: string, label: string, attrs = html``) {
  return html`<p><label for="${name}">${label}</label>
  <input id="${name}" name="${name}" value="${v[name] ?? ""}" ${attrs} ${invalidAttrs(errors, name)}>
  ${errorFor(errors, name)}</p>`;
}

function resultCard(r: RoutingPreview) {
  return html`<section class="card" data-preview-result aria-live="polite"><h2>This lead would go to</h2>
  <dl>
    <dt>Pool</dt><dd data-preview="pool">${r.pool.name}</dd>
    <dt>Rule</dt><dd data-preview="rule">${r.rule ? r.rule.name : "no rule matched: the default pool"}</dd>
    <dt>Rep</dt><dd data-preview="rep">${r.rep ? r.rep.name : "nobody for now"}</dd>
    <dt>Why</dt><dd data-preview="reason">${REASONS[r.reason]}</dd>
    <dt>First response due</dt><dd>${r.slaMinutes ? `within ${r.slaMinutes} min` : "—"}</dd>
    <dt>Country of the phone number</dt><dd data-preview="country">${r.country ?? "none (no phone number)"}</dd>
  </dl>
  ${r.existingLeadId ? html`<p>This contact already has <a href="/app/leads/${r.existingLeadId}">a lead</a>.</p>` : ""}
  ${
    r.skipped.length
      ? html`<h3>Skipped</h3><table data-table="skipped"><thead><tr><th>Rep</th><th>Why</th></tr></thead><tbody>
    ${r.skipped.map((s) => html`<tr data-skipped="${s.repId}"><td>${s.name}</td><td>${SKIPPED[s.reason]}</td></tr>`)}
    </tbody></table>`
      : html`<p class="muted">No rep of the pool was skipped.</p>`
  }
  <p class="muted">Nothing was saved and the rotation did not move: a real lead like this one goes to the same rep.</p>
</section>`;
}

export function routingPreviewBody(opts: {
  forms: Form[];
  values: Values;
  errors?: PageErrors;
  result?: RoutingPreview;
}) {
  const { forms, values: v } = opts;
  const errors = opts.errors ?? {};
  return html`
${errors.form ? html`<p class="card err" role="alert">${errors.form}</p>` : ""}
<form method="post" action="/app/routing/preview" class="card" data-form="routing-preview" novalidate>
  <div class="grid">
    <p><label for="source">Came in through</label>
    <select style="max-width:100%" id="source" name="source" ${invalidAttrs(errors, "source")}>
      ${options(
        LEAD_SOURCES.map((s) => [s, s] as const),
        v.source || "form",
      )}
    </select>${errorFor(errors, "source")}</p>
    <p><label for="formId">Form</label>
    <select style="max-width:100%" id="formId" name="formId" ${invalidAttrs(errors, "formId")}>
      <option value="">none</option>
      ${options(
        forms.map((f) => [f.id, f.name] as const),
        v.formId,
      )}
    </select>${errorFor(errors, "formId")}</p>
  </div>
  <div class="grid">
    ${input(v, errors, "phone", "Phone (its country is what country conditions read)", html`type="tel"`)}
    ${input(v, errors, "email", "Email", html`type="email"`)}
    ${input(v, errors, "region", "Region, state or province")}
    ${input(v, errors, "postal", "Postal code")}
  </div>
  <table data-table="sample-answers"><thead><tr><th>Other form answer</th><th>Value</th></tr></thead><tbody>
  ${Array.from(
    { length: ANSWER_ROWS },
    (
      _,
      j,
    ) => html`<tr><td><input name="ans.name.${j}" aria-label="Answer ${j + 1} field" value="${v[`ans.name.${j}`] ?? ""}"
      ${invalidAttrs(errors, `ans${j}`)}></td>
    <td><input name="ans.value.${j}" aria-label="Answer ${j + 1} value" value="${v[`ans.value.${j}`] ?? ""}"
      style="width:100%">
      ${errorFor(errors, `ans${j}`)}</td></tr>`,
  )}
  </tbody></table>
  <p><label>${checkbox(v, "hot")} A hot lead (its shorter first-response time)</label></p>
  <button type="submit">Who would get it?</button> <a href="/app/routing">Back to routing</a>
</form>
${opts.result ? resultCard(opts.result) : ""}`;
}
