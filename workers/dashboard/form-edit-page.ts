import { html } from "hono/html";
import type { Form } from "../domain/capture/forms";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";
import { snippetFor } from "./settings-pages";

const TYPES = ["text", "email", "tel", "textarea", "select", "number", "checkbox"] as const;
/** Empty field rows offered under the saved ones. */
const SPARE_FIELDS = 2;

type Values = Record<string, string>;

export const NEW_FORM: Values = {
  fieldName0: "name",
  fieldLabel0: "Name",
  fieldType0: "text",
  fieldRequired0: "on",
  fieldName1: "email",
  fieldLabel1: "Email",
  fieldType1: "email",
  fieldName2: "phone",
  fieldLabel2: "Phone",
  fieldType2: "tel",
  fieldName3: "message",
  fieldLabel3: "How can we help?",
  fieldType3: "textarea",
  successMessage: "Thanks! We will be in touch shortly.",
};

/** A saved form as the page's control values (the same shape a post of the page sends back). */
export function formValuesOf(f: Form): Values {
  const v: Values = {
    name: f.name,
    allowedOrigins: f.allowedOrigins.join("\n"),
    successMessage: f.successMessage,
    redirectUrl: f.redirectUrl ?? "",
    autoReplyText: f.autoReplyText ?? "",
    autoReplySubject: f.autoReplySubject ?? "",
    turnstileSiteKey: f.turnstileSiteKey ?? "",
    consentText: f.consentText ?? "",
  };
  f.fields.forEach((x, i) => {
    Object.assign(v, {
      [`fieldName${i}`]: x.name,
      [`fieldLabel${i}`]: x.label,
      [`fieldType${i}`]: x.type,
      [`fieldRequired${i}`]: x.required ? "on" : "",
      [`fieldOptions${i}`]: (x.options ?? []).join(", "),
      [`fieldMax${i}`]: x.maxLength ? String(x.maxLength) : "",
    });
  });
  return v;
}

/** The page's controls as the API's form input, and the control each message belongs under. */
export function formInputFrom(v: Values) {
  const text = (k: string) => (v[k]?.trim() ? v[k].trim() : null);
  const fields = [];
  const row: number[] = [];
  for (let i = 0; v[`fieldName${i}`] !== undefined; i++) {
    const name = v[`fieldName${i}`]?.trim() ?? "";
    const label = v[`fieldLabel${i}`]?.trim() ?? "";
    if (!name && !label) continue;
    const options = (v[`fieldOptions${i}`] ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean);
    const max = v[`fieldMax${i}`] ? Number(v[`fieldMax${i}`]) : undefined;
    fields.push({
      name,
      label,
      type: v[`fieldType${i}`] ?? "text",
      required: v[`fieldRequired${i}`] === "on",
      ...(options.length ? { options } : {}),
      ...(max ? { maxLength: max } : {}),
    });
    row.push(i);
  }
  const input = {
    name: v.name ?? "",
    fields,
    allowedOrigins: (v.allowedOrigins ?? "").split(/\s+/).filter(Boolean),
    successMessage: text("successMessage") ?? undefined,
    redirectUrl: text("redirectUrl"),
    autoReplyText: text("autoReplyText"),
    autoReplySubject: text("autoReplySubject"),
    turnstileSiteKey: text("turnstileSiteKey"),
    consentText: text("consentText"),
  };
  const control = (path: string): string => {
    const [head, key] = path.split(".");
    if (head === "fields" && key !== undefined) return `field${row[Number(key)] ?? 0}`;
    return head ?? "form";
  };
  return { input, control };
}

function textInput(v: Values, errors: PageErrors, name: string, label: string, hint = "") {
  return html`<p><label for="${name}">${label}</label>
  <input id="${name}" name="${name}" value="${v[name] ?? ""}" style="width:100%" ${invalidAttrs(errors, name)}>
  ${hint ? html`<span class="muted">${hint}</span>` : ""}${errorFor(errors, name)}</p>`;
}

function textArea(v: Values, errors: PageErrors, name: string, label: string, hint = "") {
  return html`<p><label for="${name}">${label}</label>
  <textarea id="${name}" name="${name}" rows="3" style="width:100%" ${invalidAttrs(errors, name)}
  >${v[name] ?? ""}</textarea>
  ${hint ? html`<span class="muted">${hint}</span>` : ""}${errorFor(errors, name)}</p>`;
}

export function formEditBody(opts: {
  form?: Form;
  origin: string;
  values: Values;
  errors?: PageErrors;
  saved?: boolean;
}) {
  const { form, values: v } = opts;
  const errors = opts.errors ?? {};
  let used = 0;
  for (let i = 0; v[`fieldName${i}`] !== undefined; i++) if (v[`fieldName${i}`] || v[`fieldLabel${i}`]) used = i + 1;
  const rows = used + SPARE_FIELDS;
  return html`
${opts.saved ? html`<p class="card" role="status">Saved.</p>` : ""}
${errors.form ? html`<p class="card err" role="alert">${errors.form}</p>` : ""}
${
  form
    ? html`<section class="card"><h2>Embed snippet</h2>
  <p class="muted">Paste it where the form should appear on your site.</p>
  <pre id="snippet-${form.id}" data-snippet>${snippetFor(opts.origin, form)}</pre>
  <button type="button" data-copy="snippet-${form.id}">Copy snippet</button></section>`
    : ""
}
<form method="post" action="${form ? `/app/forms/${form.id}` : "/app/forms"}" class="card" data-form="form"
  novalidate>
  ${textInput(v, errors, "name", "Form name")}
  <fieldset><legend>Fields</legend>${errorFor(errors, "fields")}
  <table data-table="fields"><thead><tr>
    <th>Name</th><th>Label</th><th>Type</th><th>Required</th><th>Options (select)</th>
  </tr></thead><tbody>
  ${Array.from(
    { length: rows },
    (_, i) => html`<tr data-row="${i}">
    <td><input name="fieldName${i}" aria-label="Field ${i + 1} name" value="${v[`fieldName${i}`] ?? ""}"
      ${invalidAttrs(errors, `field${i}`)}>
      <input type="hidden" name="fieldMax${i}" value="${v[`fieldMax${i}`] ?? ""}"></td>
    <td><input name="fieldLabel${i}" aria-label="Field ${i + 1} label" value="${v[`fieldLabel${i}`] ?? ""}"></td>
    <td><select name="fieldType${i}" aria-label="Field ${i + 1} type">
      ${TYPES.map((t) => html`<option ${v[`fieldType${i}`] === t ? "selected" : ""}>${t}</option>`)}</select></td>
    <td><input type="checkbox" name="fieldRequired${i}" aria-label="Field ${i + 1} required"
      ${v[`fieldRequired${i}`] === "on" ? "checked" : ""}></td>
    <td><input name="fieldOptions${i}" aria-label="Field ${i + 1} options" value="${v[`fieldOptions${i}`] ?? ""}">
      ${errorFor(errors, `field${i}`)}</td></tr>`,
  )}
  </tbody></table>
  <p class="muted">Names are lower-case (name, email, phone and message fill the lead; others are kept as answers).
  Empty rows are ignored.</p>
  </fieldset>
  ${textArea(
    v,
    errors,
    "allowedOrigins",
    "Allowed origins",
    "One per line, such as https://example.com. Empty: any site may embed the form.",
  )}
  ${textInput(v, errors, "successMessage", "Success message")}
  ${textInput(v, errors, "redirectUrl", "Redirect after sending (instead of the message)")}
  ${textInput(v, errors, "autoReplySubject", "Auto-reply subject")}
  ${textArea(
    v,
    errors,
    "autoReplyText",
    "Auto-reply",
    "Sent by email to a new lead; {name}, {rep_name} and {form} are filled in.",
  )}
  ${textInput(v, errors, "turnstileSiteKey", "Cloudflare Turnstile site key")}
  ${textInput(v, errors, "consentText", "Consent checkbox text", "Optional; the answer is kept in the consent ledger.")}
  <button type="submit">${form ? "Save form" : "Create form"}</button> <a href="/app/forms">Back to forms</a>
</form>
${
  form
    ? html`<form method="post" action="/app/forms/${form.id}/delete" class="card">
  <p>Deleting a form stops its snippet from taking entries; its leads stay.</p>
  <button type="submit" style="background:#cf222e">Delete form</button></form>`
    : ""
}
<script src="/app/assets/dashboard.js"></script>`;
}
