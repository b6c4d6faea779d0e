import { html } from "hono/html";

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
