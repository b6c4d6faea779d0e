import { html } from "hono/html";
import { LEAD_SOURCES, STEP_SENDERS } from "../../db/schema";
import type { Form } from "../domain/capture/forms";
import type { Sequence } from "../domain/leads/sequences";
import type { PoolWithMembers } from "../domain/routing/pools";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";
import { checkbox, nameInput, notices, options } from "./form-parts";

type Values = Record<string, string>;

/** Empty step rows offered under the saved ones. */
const SPARE_STEPS = 2;
const UNITS = [
  ["days", 1440],
  ["hours", 60],
  ["minutes", 1],
] as const;
const SENDER_LABELS: Record<(typeof STEP_SENDERS)[number], string> = {
  email: "Email",
  telegram: "Telegram",
  whatsapp: "WhatsApp",
};

/** What always ends a lead's follow-ups, whatever the sequence's settings (see workers/sequences/stop-conditions). */
export const STOP_CONDITIONS =
  "Follow-ups always stop when the prospect opts out (STOP) — that is their right, not a setting — when the lead " +
  "is closed (won, lost, unqualified, spam) or the sequence is switched off; a step that cannot be delivered " +
  "stops them too. Each sequence also chooses whether a reply from the prospect or a rep taking over stops them.";

export const NEW_SEQUENCE: Values = {
  active: "on",
  stopOnReply: "on",
  stopOnRepResponse: "on",
  quiet: "on",
  quietStart: "21:00",
  quietEnd: "08:00",
  "step.delay.0": "1",
  "step.unit.0": "days",
};

const SOURCES = LEAD_SOURCES.map((s) => [s, s] as const);
const named = (list: { id: string; name: string }[]) => list.map((x) => [x.id, x.name] as const);

const stepFilled = (v: Values, i: number) =>
  ["delay", "text", "subject", "template"].some((k) => v[`step.${k}.${i}`]?.trim());

/** A saved sequence as the page's control values (the same shape a post of the page sends back). */
export function sequenceValues(s: Sequence): Values {
  const v: Values = {
    name: s.name,
    active: s.active ? "on" : "",
    formId: s.formId ?? "",
    source: s.source ?? "",
    poolId: s.poolId ?? "",
    stopOnReply: s.stopOnReply ? "on" : "",
    stopOnRepResponse: s.stopOnRepResponse ? "on" : "",
    quiet: s.quietStart && s.quietEnd ? "on" : "",
    quietStart: s.quietStart ?? "",
    quietEnd: s.quietEnd ?? "",
  };
  s.steps.forEach((st, i) => {
    const [unit, factor] = UNITS.find(([, f]) => st.delayMinutes > 0 && st.delayMinutes % f === 0) ?? UNITS[2];
    Object.assign(v, {
      [`step.delay.${i}`]: String(st.delayMinutes / factor),
      [`step.unit.${i}`]: unit,
      [`step.sender.${i}`]: st.sender,
      [`step.subject.${i}`]: st.subject ?? "",
      [`step.text.${i}`]: st.text ?? "",
      [`step.template.${i}`]: st.template ?? "",
    });
  });
  return v;
}

/** The page's controls as the API's sequence input, and the control each message belongs under. */
export function sequenceInputFrom(v: Values) {
  const text = (k: string) => (v[k]?.trim() ? v[k].trim() : null);
  const steps = [];
  const row: number[] = [];
  for (let i = 0; v[`step.sender.${i}`] !== undefined; i++) {
    if (!stepFilled(v, i)) continue;
    const delay = v[`step.delay.${i}`]?.trim();
    const factor = UNITS.find(([u]) => u === v[`step.unit.${i}`])?.[1] ?? 1;
    steps.push({
      delayMinutes: delay ? Number(delay) * factor : undefined,
      sender: v[`step.sender.${i}`],
      subject: text(`step.subject.${i}`),
      text: text(`step.text.${i}`),
      template: text(`step.template.${i}`),
    });
    row.push(i);
  }
  const quiet = v.quiet === "on";
  const input = {
    name: v.name ?? "",
    active: v.active === "on",
    formId: v.formId || null,
    source: v.source || null,
    poolId: v.poolId || null,
    quietStart: quiet ? (v.quietStart ?? "") : null,
    quietEnd: quiet ? (v.quietEnd ?? "") : null,
    stopOnReply: v.stopOnReply === "on",
    stopOnRepResponse: v.stopOnRepResponse === "on",
    steps,
  };
  const control = (path: string): string => {
    const [head, key] = path.split(".");
    if (head === "steps") return key === undefined ? "steps" : `step${row[Number(key)] ?? 0}`;
    return head || "form";
  };
  return { input, control };
}

function select(
  v: Values,
  errors: PageErrors,
  name: string,
  label: string,
  choices: readonly (readonly [string, string])[],
) {
  return html`<p><label for="${name}">${label}</label>
  <select style="max-width:100%" id="${name}" name="${name}" ${invalidAttrs(errors, name)}>
    ${options(choices, v[name] ?? "")}
  </select>${errorFor(errors, name)}</p>`;
}

function stepRow(v: Values, errors: PageErrors, i: number) {
  const n = i + 1;
  const field = (k: string) => v[`step.${k}.${i}`] ?? "";
  return html`<fieldset style="min-width:0" data-step="${i}" ${invalidAttrs(errors, `step${i}`)}>
  <legend>Step ${n}</legend>
  <div class="grid">
    <p><label>Wait <input type="number" min="0" step="1" name="step.delay.${i}" aria-label="Step ${n} wait"
      value="${field("delay")}" style="width:6rem"></label>
    <select style="max-width:100%" name="step.unit.${i}" aria-label="Step ${n} wait unit">
      ${options(
        UNITS.map(([u]) => [u, u] as const),
        field("unit") || "days",
      )}
    </select> <span class="muted">${i === 0 ? "after the lead arrives" : "after the step before"}</span></p>
    <p><label>Send by <select style="max-width:100%" name="step.sender.${i}" aria-label="Step ${n} channel">
      ${options(
        STEP_SENDERS.map((s) => [s, SENDER_LABELS[s]] as const),
        field("sender"),
      )}
    </select></label></p>
  </div>
  <p><label>Subject (email) <input name="step.subject.${i}" aria-label="Step ${n} subject" value="${field("subject")}"
    style="width:100%"></label></p>
  <p><label>Text <textarea name="step.text.${i}" aria-label="Step ${n} text" rows="3" style="width:100%"
    >${field("text")}</textarea></label></p>
  <p><label>WhatsApp approved template <input name="step.template.${i}" aria-label="Step ${n} template"
    value="${field("template")}"></label>
  <span class="muted">Used outside WhatsApp's 24-hour window, where free text is not allowed.</span></p>
  ${errorFor(errors, `step${i}`)}
</fieldset>`;
}

export function sequenceFormBody(opts: {
  sequence?: Sequence;
  forms: Form[];
  pools: PoolWithMembers[];
  values: Values;
  errors?: PageErrors;
  saved?: boolean;
}) {
  const { sequence, values: v } = opts;
  const errors = opts.errors ?? {};
  let used = 0;
  for (let i = 0; v[`step.sender.${i}`] !== undefined || v[`step.delay.${i}`] !== undefined; i++)
    if (stepFilled(v, i)) used = i + 1;
  return html`
${notices(opts.saved, errors)}
<form method="post" action="${sequence ? `/app/sequences/${sequence.id}` : "/app/sequences"}" class="card"
  data-form="sequence" novalidate>
  ${nameInput(v, errors, "Sequence name")}
  <p><label>${checkbox(v, "active")} Active (new leads are enrolled)</label></p>
  <fieldset style="min-width:0"><legend>Which new leads (every set choice must hold; none set: every new lead)</legend>
  <div class="grid">
    ${select(v, errors, "formId", "From the form", [["", "any form"], ...named(opts.forms)])}
    ${select(v, errors, "source", "Came in through", [["", "any channel"], ...SOURCES])}
    ${select(v, errors, "poolId", "Routed to the pool", [["", "any pool"], ...named(opts.pools)])}
  </div></fieldset>
  <fieldset style="min-width:0"><legend>Quiet hours (workspace time zone)</legend>
  <p><label>${checkbox(v, "quiet")}
    Hold steps due between these times until the end of the window</label></p>
  <div class="grid">
    <p><label for="quietStart">From</label>
    <input type="time" id="quietStart" name="quietStart" value="${v.quietStart ?? ""}"
      ${invalidAttrs(errors, "quietStart")}>${errorFor(errors, "quietStart")}</p>
    <p><label for="quietEnd">Until</label><input type="time" id="quietEnd" name="quietEnd" value="${v.quietEnd ?? ""}"
      ${invalidAttrs(errors, "quietEnd")}>${errorFor(errors, "quietEnd")}</p>
  </div></fieldset>
  <fieldset style="min-width:0"><legend>Stop a lead's follow-ups when</legend>
  <p><label>${checkbox(v, "stopOnReply", html`${invalidAttrs(errors, "stopOnReply")}`)}
    The prospect writes again</label>${errorFor(errors, "stopOnReply")}</p>
  <p><label>${checkbox(v, "stopOnRepResponse", html`${invalidAttrs(errors, "stopOnRepResponse")}`)}
    A rep takes over (status contacted or qualified, or a first reply sent)</label>
    ${errorFor(errors, "stopOnRepResponse")}</p>
  <p class="muted">Opting out always stops them: that is the prospect's right, not a setting. So do closing the
    lead and switching the sequence off.</p></fieldset>
  <h2>Steps</h2>${errorFor(errors, "steps")}
  <p class="muted">{name}, {rep_name} and {form} are filled in. Empty steps are ignored.</p>
  ${Array.from({ length: used + SPARE_STEPS }, (_, i) => stepRow(v, errors, i))}
  <p class="muted">${STOP_CONDITIONS}</p>
  <button type="submit">${sequence ? "Save sequence" : "Create sequence"}</button>
  <a href="/app/sequences">Back to sequences</a>
</form>
${
  sequence
    ? html`<form method="post" action="/app/sequences/${sequence.id}/delete" class="card">
  <p>Deleting a sequence ends its enrolments; messages already queued still go out.</p>
  <button type="submit" style="background:#cf222e">Delete sequence</button></form>`
    : ""
}`;
}
