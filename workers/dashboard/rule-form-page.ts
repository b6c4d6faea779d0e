import { html } from "hono/html";
import { LEAD_SOURCES, type RuleMatch } from "../../db/schema";
import type { Form } from "../domain/capture/forms";
import type { PoolWithMembers } from "../domain/routing/pools";
import type { RoutingRule } from "../domain/routing/routing-context";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";
import { checkbox, nameInput, notices, options } from "./form-parts";

type Values = Record<string, string>;
type Criteria = Omit<RuleMatch, "any">;

/** Empty answer rows offered under the saved ones, and empty OR-groups under the saved groups. */
const SPARE_FIELDS = 1;
const SPARE_GROUPS = 1;
/** The page's condition blocks: `m` holds what every lead must match, `g0`, `g1`… the OR-groups. */
const MAIN = "m";

const list = (s: string | undefined, by: RegExp) =>
  (s ?? "")
    .split(by)
    .map((x) => x.trim())
    .filter(Boolean);

function criteriaValues(p: string, c: Criteria): Values {
  const v: Values = {
    [`${p}.countries`]: (c.countries ?? []).join(", "),
    [`${p}.regions`]: (c.regions ?? []).join(", "),
    [`${p}.postal`]: (c.postalPrefixes ?? []).join(", "),
  };
  for (const s of c.sources ?? []) v[`${p}.src.${s}`] = "on";
  for (const id of c.formIds ?? []) v[`${p}.form.${id}`] = "on";
  Object.entries(c.fields ?? {}).forEach(([name, values], j) => {
    v[`${p}.fname.${j}`] = name;
    v[`${p}.fvalues.${j}`] = values.join(", ");
  });
  return v;
}

/** A saved rule as the page's control values (the same shape a post of the page sends back). */
export function ruleValues(r: RoutingRule): Values {
  const v: Values = { name: r.name, poolId: r.poolId, ...criteriaValues(MAIN, r.match) };
  (r.match.any ?? []).forEach((g, k) => {
    Object.assign(v, criteriaValues(`g${k}`, g), { [`g${k}.on`]: "1" });
  });
  return v;
}

/** One block's controls as API criteria, and which answer row each field name came from (for its message). */
function criteriaFrom(v: Values, p: string) {
  const pick = (kind: string) =>
    Object.keys(v)
      .filter((k) => k.startsWith(`${p}.${kind}.`) && v[k] === "on")
      .map((k) => k.slice(`${p}.${kind}.`.length));
  const fields: Record<string, string[]> = {};
  const fieldRow = new Map<string, number>();
  for (let j = 0; v[`${p}.fname.${j}`] !== undefined; j++) {
    const name = v[`${p}.fname.${j}`]?.trim() ?? "";
    const values = list(v[`${p}.fvalues.${j}`], /,/);
    if (!name && values.length === 0) continue;
    fields[name] = [...(fields[name] ?? []), ...values];
    if (!fieldRow.has(name)) fieldRow.set(name, j);
  }
  const c: Criteria = {};
  const sources = pick("src");
  const formIds = pick("form");
  const countries = list(v[`${p}.countries`], /[\s,]+/);
  const regions = list(v[`${p}.regions`], /,/);
  const postal = list(v[`${p}.postal`], /,/);
  if (sources.length) c.sources = sources as Criteria["sources"];
  if (formIds.length) c.formIds = formIds;
  if (countries.length) c.countries = countries;
  if (regions.length) c.regions = regions;
  if (postal.length) c.postalPrefixes = postal;
  if (Object.keys(fields).length) c.fields = fields;
  return { criteria: c, fieldRow, empty: Object.keys(c).length === 0 };
}

const CRITERION_CONTROL: Record<string, string> = {
  sources: "sources",
  formIds: "forms",
  countries: "countries",
  regions: "regions",
  postalPrefixes: "postal",
};

/**
 * The page's controls as the API's rule input, for the same zod schema to judge, and where each message
 * goes: `match.any.1.countries.0` → the countries box of the OR-group it came from. Empty groups are dropped.
 */
export function ruleInputFrom(v: Values) {
  const main = criteriaFrom(v, MAIN);
  const groups: { prefix: string; fieldRow: Map<string, number>; criteria: Criteria }[] = [];
  for (let k = 0; v[`g${k}.on`] !== undefined; k++) {
    const g = criteriaFrom(v, `g${k}`);
    if (!g.empty) groups.push({ prefix: `g${k}`, ...g });
  }
  const match: RuleMatch = { ...main.criteria, ...(groups.length ? { any: groups.map((g) => g.criteria) } : {}) };
  const inBlock = (prefix: string, fieldRow: Map<string, number>, rest: string[]) => {
    const [criterion, key] = rest;
    if (criterion === "fields") return `${prefix}.field.${fieldRow.get(key ?? "") ?? 0}`;
    return `${prefix}.${CRITERION_CONTROL[criterion ?? ""] ?? "conditions"}`;
  };
  const control = (path: string): string => {
    const [head, ...rest] = path.split(".");
    if (head !== "match") return head || "form";
    if (rest[0] === "any") {
      const group = rest[1] === undefined ? undefined : groups[Number(rest[1])];
      return group ? inBlock(group.prefix, group.fieldRow, rest.slice(2)) : "conditions";
    }
    return rest.length ? inBlock(MAIN, main.fieldRow, rest) : "conditions";
  };
  return { input: { name: v.name ?? "", poolId: v.poolId ?? "", match }, control };
}

function textControl(v: Values, errors: PageErrors, name: string, label: string, hint: string) {
  return html`<p><label for="${name}">${label}</label>
  <input id="${name}" name="${name}" value="${v[name] ?? ""}" style="width:100%" ${invalidAttrs(errors, name)}>
  ${errorFor(errors, name)} <span class="muted">${hint}</span></p>`;
}

function criteriaBlock(p: string, v: Values, errors: PageErrors, forms: Form[], legend: string) {
  let used = 0;
  for (let j = 0; v[`${p}.fname.${j}`] !== undefined; j++)
    if (v[`${p}.fname.${j}`] || v[`${p}.fvalues.${j}`]) used = j + 1;
  const who = p === MAIN ? "" : ` (${legend})`;
  return html`<fieldset style="min-width:0" data-conditions="${p}"><legend>${legend}</legend>
  ${p === MAIN ? "" : html`<input type="hidden" name="${p}.on" value="1">`}
  <p ${invalidAttrs(errors, `${p}.sources`)}>Came in through:
  ${LEAD_SOURCES.map(
    (s) =>
      html`<label style="display:inline">${checkbox(v, `${p}.src.${s}`, html`aria-label="Source ${s}${who}"`)}
      ${s}</label> `,
  )}${errorFor(errors, `${p}.sources`)}</p>
  ${
    forms.length
      ? html`<p>Sent with the form:
  ${forms.map(
    (f) =>
      html`<label style="display:inline">${checkbox(v, `${p}.form.${f.id}`, html`aria-label="Form ${f.name}${who}"`)}
      ${f.name}</label> `,
  )}${errorFor(errors, `${p}.forms`)}</p>`
      : ""
  }
  <div class="grid">
  ${textControl(v, errors, `${p}.countries`, `Countries${who}`, "Two-letter codes of the phone's country: US, CA.")}
  ${textControl(v, errors, `${p}.regions`, `Regions${who}`, "The region, state or province answer, such as Texas, CA.")}
  ${textControl(v, errors, `${p}.postal`, `Postal code prefixes${who}`, "Such as 941, SW1; spaces and case ignored.")}
  </div>
  <table data-table="answers"><thead><tr><th>Form answer</th><th>is one of (comma-separated)</th></tr></thead><tbody>
  ${Array.from(
    { length: used + SPARE_FIELDS },
    (_, j) => html`<tr><td><input name="${p}.fname.${j}" aria-label="Answer ${j + 1} field${who}"
      value="${v[`${p}.fname.${j}`] ?? ""}" ${invalidAttrs(errors, `${p}.field.${j}`)}></td>
    <td><input name="${p}.fvalues.${j}" aria-label="Answer ${j + 1} values${who}"
      value="${v[`${p}.fvalues.${j}`] ?? ""}"
      style="width:100%">${errorFor(errors, `${p}.field.${j}`)}</td></tr>`,
  )}
  </tbody></table>
</fieldset>`;
}

export function ruleFormBody(opts: {
  rule?: RoutingRule;
  pools: PoolWithMembers[];
  forms: Form[];
  values: Values;
  errors?: PageErrors;
  saved?: boolean;
}) {
  const { rule, pools, forms, values: v } = opts;
  const errors = opts.errors ?? {};
  let groups = 0;
  while (v[`g${groups}.on`] !== undefined) groups++;
  return html`
${notices(opts.saved, errors)}
<form method="post" action="${rule ? `/app/routing/rules/${rule.id}` : "/app/routing/rules"}" class="card"
  data-form="rule" novalidate>
  ${nameInput(v, errors, "Rule name")}
  <p><label for="poolId">Send matching leads to the pool</label>
  <select style="max-width:100%" id="poolId" name="poolId" ${invalidAttrs(errors, "poolId")}>
    <option value="">Choose a pool</option>
    ${options(
      pools.map((p) => [p.id, p.name] as const),
      v.poolId,
    )}
  </select>${errorFor(errors, "poolId")}
  ${pools.length ? "" : html`<span class="muted">No pools yet: <a href="/app/routing/pools/new">add one</a>.</span>`}
  </p>
  ${errorFor(errors, "conditions")}
  ${criteriaBlock(MAIN, v, errors, forms, "When every filled-in condition holds")}
  <p class="muted">Within one condition any listed value matches. Leave everything empty to match every lead.
  OR-groups below: besides the conditions above, at least one group must hold in full; an empty group is dropped.</p>
  ${Array.from({ length: groups + SPARE_GROUPS }, (_, k) =>
    criteriaBlock(`g${k}`, { ...v, [`g${k}.on`]: "1" }, errors, forms, `or group ${k + 1}`),
  )}
  <button type="submit">${rule ? "Save rule" : "Add rule"}</button> <a href="/app/routing">Back to routing</a>
</form>
${
  rule
    ? html`<form method="post" action="/app/routing/rules/${rule.id}/delete" class="card">
  <p>Deleting a rule sends the leads it matched through the rules below it, or to the default pool.</p>
  <button type="submit" style="background:#cf222e">Delete rule</button></form>`
    : ""
}`;
}
