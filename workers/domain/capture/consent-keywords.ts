import type { ConsentAction } from "../../../db/schema";

// Whole-message keywords only ("STOP", "Stop.", "unsubscribe"), so "don't stop calling me" is a message,
// not an opt-out. The usual carrier set plus the quick-reply button Meta adds to marketing templates.
const OPT_OUT = new Set([
  "stop",
  "stopall",
  "stop all",
  "unsubscribe",
  "cancel",
  "end",
  "quit",
  "optout",
  "opt out",
  "opt-out",
  "revoke",
  "stop promotions",
]);
const OPT_IN = new Set(["start", "unstop", "resume promotions"]);

/** The consent change a prospect's message asks for, if it is one of the keywords. */
export function consentKeyword(...texts: (string | null | undefined)[]): ConsentAction | null {
  for (const t of texts) {
    if (!t) continue;
    const word = t
      .normalize("NFKC")
      .trim()
      .toLowerCase()
      .replace(/[\s.!?¡¿]+$/u, "")
      .replace(/\s+/g, " ");
    if (OPT_OUT.has(word)) return "opt_out";
    if (OPT_IN.has(word)) return "opt_in";
  }
  return null;
}
