import { html } from "hono/html";
import type { Rep } from "../domain/team/reps";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";

/** Monday first, as people read a work week; the values are the API's weekday keys (0 = Sunday). */
const WEEK = [
  ["1", "Monday"],
  ["2", "Tuesday"],
  ["3", "Wednesday"],
  ["4", "Thursday"],
  ["5", "Friday"],
  ["6", "Saturday"],
  ["0", "Sunday"],
] as const;
const DAY_MS = 86_400_000;
/** Empty vacation rows offered under the saved ones. */
const SPARE_VACATIONS = 2;

type Values = Record<string, string>;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A saved rep as the page's control values (the same shape a post of the page sends back). */
export function repValues(r: Rep): Values {
  const v: Values = {
    name: r.name,
    email: r.email ?? "",
    phone: r.phone ?? "",
    whatsappPhone: r.whatsappPhone ?? "",
    weight: String(r.weight),
    maxOpenLeads: r.maxOpenLeads === null ? "" : String(r.maxOpenLeads),
    timezone: r.timezone ?? "",
    paused: r.paused ? "on" : "",
    active: r.active ? "on" : "",
    alwaysOn: r.workingHours ? "" : "on",
  };
  for (const [day] of WEEK) {
    const range = r.workingHours?.[day]?.[0];
    v[`from${day}`] = range?.[0] ?? "";
    v[`to${day}`] = range?.[1] ?? "";
  }
  r.vacations.forEach((x, i) => {
    v[`vacFrom${i}`] = isoDay(x.from);
    // Stored as [from, to); shown as the last day off.
    v[`vacTo${i}`] = isoDay(x.to - DAY_MS);
  });
  return v;
}

/**
 * The page's controls as the API's rep input, for the same zod schema to judge, and where each message
 * goes: `workingHours.3.0.1` → `hours3`, `vacations.1.to` → the row that vacation came from.
 */
export function repInputFrom(v: Values) {
  const text = (k: string) => (v[k]?.trim() ? v[k].trim() : null);
  const num = (k: string) => (v[k]?.trim() ? Number(v[k]) : undefined);
  const workingHours =
    v.alwaysOn === "on"
      ? null
      : Object.fromEntries(
          WEEK.map(([d]) => [d, v[`from${d}`] || v[`to${d}`] ? [[v[`from${d}`] ?? "", v[`to${d}`] ?? ""]] : []]),
        );
  const vacations = [];
  const vacRow: number[] = [];
  for (let i = 0; v[`vacFrom${i}`] !== undefined; i++) {
    const from = v[`vacFrom${i}`] ?? "";
    const to = v[`vacTo${i}`] ?? "";
    if (!from && !to) continue;
    const last = Date.parse(`${to}T00:00:00Z`);
    vacations.push({ from, to: Number.isNaN(last) ? to : last + DAY_MS });
    vacRow.push(i);
  }
  const control = (path: string): string => {
    const [head, key] = path.split(".");
    if (head === "workingHours") return key ? `hours${key}` : "alwaysOn";
    if (head === "vacations") return `vacation${key ? (vacRow[Number(key)] ?? 0) : 0}`;
    return head ?? "form";
  };
  const input = {
    name: v.name ?? "",
    email: text("email"),
    phone: text("phone"),
    whatsappPhone: text("whatsappPhone"),
    weight: num("weight"),
    maxOpenLeads: num("maxOpenLeads") ?? null,
    timezone: text("timezone"),
    paused: v.paused === "on",
    active: v.active === "on",
    workingHours,
    vacations,
  };
  return { input, control };
}

function input(v: Values, errors: PageErrors, name: string, label: string, attrs = html``) {
  return html`<p><label for="${name}">${label}</label>
  <input id="${name}" name="${name}" value="${v[name] ?? ""}" ${attrs} ${invalidAttrs(errors, name)}>
  ${errorFor(errors, name)}</p>`;
}

export function repFormBody(opts: { rep?: Rep; values: Values; errors?: PageErrors; saved?: boolean }) {
  const { rep, values: v } = opts;
  const errors = opts.errors ?? {};
  let used = 0;
  for (let i = 0; v[`vacFrom${i}`] !== undefined; i++) if (v[`vacFrom${i}`] || v[`vacTo${i}`]) used = i + 1;
  const vacRows = used + SPARE_VACATIONS;
  const action = rep ? `/app/reps/${rep.id}` : "/app/reps";
  return html`
${opts.saved ? html`<p class="card" role="status">Saved.</p>` : ""}
${errors.form ? html`<p class="card err" role="alert">${errors.form}</p>` : ""}
<form method="post" action="${action}" class="card" data-form="rep" novalidate>
  ${input(v, errors, "name", "Name", html`required maxlength="120" autocomplete="off"`)}
  <div class="grid">
    ${input(v, errors, "email", "Email", html`type="email"`)}
    ${input(v, errors, "phone", "Phone")}
    ${input(v, errors, "whatsappPhone", "WhatsApp number (alerts on WhatsApp)")}
  </div>
  <div class="grid">
    ${input(v, errors, "weight", "Weight (share of new leads)", html`type="number" min="0" max="100" step="1"`)}
    ${input(v, errors, "maxOpenLeads", "Open-lead cap (blank: no cap)", html`type="number" min="0" step="1"`)}
    ${input(v, errors, "timezone", "Time zone (blank: the workspace's)", html`placeholder="Europe/Berlin"`)}
  </div>
  <p><label><input type="checkbox" name="active" ${v.active === "on" ? "checked" : ""}> Active (in the rotation)</label>
  <label><input type="checkbox" name="paused" ${v.paused === "on" ? "checked" : ""}>
    Paused (gets no new leads for now)</label></p>
  <fieldset><legend>Working hours</legend>
    <label><input type="checkbox" name="alwaysOn" ${v.alwaysOn === "on" ? "checked" : ""}
      ${invalidAttrs(errors, "alwaysOn")}>
      Always available (ignore the week below)</label>${errorFor(errors, "alwaysOn")}
    <table data-table="week"><thead><tr><th>Day</th><th>From</th><th>To</th></tr></thead><tbody>
    ${WEEK.map(
      ([d, day]) => html`<tr data-day="${d}"><th scope="row">${day}</th>
      <td><input type="time" name="from${d}" aria-label="${day} from" value="${v[`from${d}`] ?? ""}"
        ${invalidAttrs(errors, `hours${d}`)}></td>
      <td><input type="time" name="to${d}" aria-label="${day} to" value="${v[`to${d}`] ?? ""}">
        ${errorFor(errors, `hours${d}`)}</td></tr>`,
    )}
    </tbody></table>
    <p class="muted">Leave a day empty for a day off.</p>
  </fieldset>
  <fieldset><legend>Vacations (first and last day off)</legend>
    ${Array.from(
      { length: vacRows },
      (_, i) => html`<p>
      <input type="date" name="vacFrom${i}" aria-label="Vacation ${i + 1} first day" value="${v[`vacFrom${i}`] ?? ""}"
        ${invalidAttrs(errors, `vacation${i}`)}>
      – <input type="date" name="vacTo${i}" aria-label="Vacation ${i + 1} last day" value="${v[`vacTo${i}`] ?? ""}">
      ${errorFor(errors, `vacation${i}`)}</p>`,
    )}
  </fieldset>
  <button type="submit">${rep ? "Save rep" : "Add rep"}</button> <a href="/app/reps">Back to reps</a>
</form>
${
  rep
    ? html`<section class="card"><h2>Chat</h2>
  <p>Telegram: ${rep.telegramChatId ? "linked" : "not linked"} ·
    WhatsApp: ${rep.whatsappPhone ? `alerts to ${rep.whatsappPhone}` : "no number"}</p>
  <form method="post" action="/app/reps/${rep.id}/telegram-invite">
    <button type="submit">${rep.telegramChatId ? "New Telegram link" : "Telegram invite link"}</button></form></section>
<form method="post" action="/app/reps/${rep.id}/delete" class="card">
  <p>Removing a rep keeps the history of their closed leads. A rep who still owns open leads cannot be removed.</p>
  <button type="submit" style="background:#cf222e">Remove rep</button>
</form>`
    : ""
}`;
}
