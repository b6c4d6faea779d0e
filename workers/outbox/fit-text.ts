/** Telegram's sendMessage text and WhatsApp's text body both stop at 4,096 characters. */
export const CHAT_TEXT_LIMIT = 4096;

/** The end of a part: a paragraph, line or word break in its second half, else the hard limit. */
function cutAt(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  for (const sep of ["\n\n", "\n", " "]) {
    const at = text.lastIndexOf(sep, limit - 1);
    if (at >= limit / 2) return at;
  }
  // Never split a surrogate pair (an emoji) in two.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/**
 * A long message as parts a platform accepts, in order, each at most `limit` characters, split at a
 * paragraph, line or word break where there is one: a rep's long answer reaches the prospect whole.
 */
export function splitText(text: string, limit = CHAT_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const at = cutAt(rest, limit);
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * The text cut to `limit`, visibly: it ends with "…" and, when given, a note saying where the whole text is
 * (for a rep: the lead). A platform would otherwise refuse the message or cut it without a mark.
 */
export function fitText(text: string, limit: number, note?: string): string {
  if (text.length <= limit) return text;
  const tail = note ? `…\n(${note})` : "…";
  return `${text.slice(0, cutAt(text, limit - tail.length)).trimEnd()}${tail}`;
}
