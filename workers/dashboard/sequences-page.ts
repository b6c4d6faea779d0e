import { html } from "hono/html";
import type { Sequence } from "../domain/leads/sequences";
import { STOP_CONDITIONS } from "./sequence-form-page";

/** The two stops an owner chooses, said in words: the list is where owners compare sequences. */
function stopsLine(s: Pick<Sequence, "stopOnReply" | "stopOnRepResponse">): string {
  const stops = [s.stopOnReply ? "a reply" : null, s.stopOnRepResponse ? "a rep taking over" : null].filter(Boolean);
  return stops.length === 0 ? "keeps going after replies and rep responses" : `stops on ${stops.join(" or ")}`;
}

export function sequencesBody(
  sequences: Sequence[],
  names: { forms: { id: string; name: string }[]; pools: { id: string; name: string }[] },
) {
  const name = (list: { id: string; name: string }[], id: string) => list.find((x) => x.id === id)?.name ?? id;
  return html`
<p><a href="/app/sequences/new">New sequence</a></p>
${
  sequences.length === 0
    ? html`<p class="muted">No follow-up sequences yet.</p>`
    : sequences.map(
        (s) => html`<section class="card" data-sequence="${s.id}">
<h2><a href="/app/sequences/${s.id}">${s.name}</a>${s.active ? "" : " (paused)"}</h2>
<p class="muted">For ${
          [
            s.formId ? `form ${name(names.forms, s.formId)}` : null,
            s.source ? `${s.source} leads` : null,
            s.poolId ? `pool ${name(names.pools, s.poolId)}` : null,
          ]
            .filter(Boolean)
            .join(", ") || "every new lead"
        };
quiet hours ${s.quietStart && s.quietEnd ? `${s.quietStart}–${s.quietEnd}` : "none"};
<span data-stops>${stopsLine(s)}</span>.</p>
<ol>${s.steps.map(
          (st) =>
            html`<li>after ${st.delayMinutes} min · ${st.sender}: ${
              st.text ?? ""
            }${st.template ? html` <span class="muted">(template ${st.template})</span>` : ""}</li>`,
        )}</ol></section>`,
      )
}
<p class="muted">${STOP_CONDITIONS}</p>`;
}
