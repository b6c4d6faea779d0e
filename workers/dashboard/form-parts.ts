import { html } from "hono/html";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";

/** `<option>`s of a select, the one whose value is `selected` marked; pairs are [value, label]. */
export function options(pairs: readonly (readonly [string, string])[], selected: string | undefined) {
  return pairs.map(
    ([value, label]) => html`<option value="${value}" ${selected === value ? "selected" : ""}>${label}</option>`,
  );
}

/** A checkbox that posts "on" when ticked, as the page's values hold it. */
export function checkbox(v: Record<string, string>, name: string, attrs = html``) {
  return html`<input type="checkbox" name="${name}" ${v[name] === "on" ? "checked" : ""} ${attrs}>`;
}

/** The "Saved." notice after a redirect, and a refusal that belongs to no single control. */
export function notices(saved: boolean | undefined, errors: PageErrors) {
  return html`${saved ? html`<p class="card" role="status">Saved.</p>` : ""}
${errors.form ? html`<p class="card err" role="alert">${errors.form}</p>` : ""}`;
}

/** The full-width name box every settings form starts with. */
export function nameInput(v: Record<string, string>, errors: PageErrors, label: string) {
  return html`<p><label for="name">${label}</label>
  <input id="name" name="name" value="${v.name ?? ""}" style="width:100%" ${invalidAttrs(errors, "name")}>
  ${errorFor(errors, "name")}</p>`;
}
