/**
 * What a prospect typed when asked for their name. People often answer with their request instead
 * ("Hello, I'm Sam and I need pricing for 100 units"): that is the inquiry, not a name. A name is a few
 * words without digits or sentence punctuation; a sentence that introduces someone ("I'm Sam", "my name is
 * Sam Lee") gives the name it introduces.
 */
export type NameAnswer = { name: string; inquiry: null } | { name: string | null; inquiry: string };

const MAX_NAME_WORDS = 4;
const MAX_NAME_LENGTH = 60;
// Letters, marks, spaces, apostrophes, hyphens and the dot of an initial ("J. R. Smith").
const NAME_CHARS = /^[\p{L}\p{M}' \u2019.-]+$/u;
const OPENERS = String.raw`(?:[Ii] am|[Ii]['\u2019]m|[Mm]y name is|[Mm]y name['\u2019]s|[Tt]his is|[Ii]t['\u2019]s)`;
const CAPITALIZED_NAME = String.raw`(\p{Lu}[\p{L}\p{M}'\u2019-]*(?:\s+\p{Lu}[\p{L}\p{M}'\u2019-]*)?)`;
const INTRODUCTION = new RegExp(String.raw`(?:^|[\s,.!])${OPENERS}\s+${CAPITALIZED_NAME}`, "u");

export function looksLikeName(text: string): boolean {
  const t = text.trim();
  if (t.length === 0 || t.length > MAX_NAME_LENGTH || !NAME_CHARS.test(t)) return false;
  const words = t.split(/\s+/);
  // A dot only after a one-letter initial; a word ending a sentence is not part of a name.
  return words.length <= MAX_NAME_WORDS && words.every((w) => !w.includes(".") || /^\p{L}\.$/u.test(w));
}

export function readNameAnswer(text: string): NameAnswer {
  const t = text.trim();
  if (looksLikeName(t)) return { name: t, inquiry: null };
  const introduced = INTRODUCTION.exec(t)?.[1] ?? null;
  return { name: introduced, inquiry: t };
}
