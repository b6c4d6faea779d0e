import { html } from "hono/html";
import type { OnboardingState } from "../domain/reports/onboarding";

/** The steps a new workspace goes through, each ticked from the workspace's own rows. */
export function checklistSteps(s: OnboardingState) {
  return [
    { key: "reps", done: s.reps > 0, label: "Add your reps", href: "/app/reps/new", action: "Add a rep" },
    {
      key: "chat",
      done: s.linkedReps > 0,
      label: "Link a rep's chat for lead alerts (Telegram invite or WhatsApp number)",
      href: "/app/reps",
      action: "Open reps",
    },
    {
      key: "form",
      done: s.forms > 0,
      label: "Create a form and paste its snippet into your site",
      href: "/app/forms/new",
      action: "Create a form",
    },
    {
      key: "channel",
      done: s.channels > 0,
      label: "Connect a Telegram bot or a WhatsApp number",
      href: "/app/channels",
      action: "Open channels",
    },
    {
      key: "lead",
      done: s.leads > 0,
      label: "Send a test lead and watch the alert arrive",
      href: null,
      action: "Send a test lead",
    },
  ];
}

/** Open on the overview until every step is done; then folded into one line that says the desk is set up. */
export function onboardingChecklist(s: OnboardingState) {
  const steps = checklistSteps(s);
  const list = html`<ol>${steps.map(
    (x) => html`<li data-step="${x.key}" data-done="${x.done ? "yes" : "no"}">
    ${x.done ? "✓ " : ""}${x.label}
    ${
      x.done
        ? ""
        : x.href
          ? html` · <a href="${x.href}">${x.action}</a>`
          : html`<form method="post" action="/app/onboarding/test-lead" style="display:inline">
        <button type="submit">${x.action}</button></form>`
    }</li>`,
  )}
  </ol>`;
  if (steps.every((x) => x.done))
    return html`<details class="card" data-section="onboarding" data-complete>
  <summary>Your desk is set up: every step is done.</summary>${list}</details>`;
  return html`<section class="card" data-section="onboarding"><h2>Set up your desk</h2>${list}</section>`;
}
