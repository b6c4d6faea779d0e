import { EMBED_SOURCE } from "./embed-source";

/**
 * What /embed.js serves: the readable source minus whole-line comments and indentation. Good enough to
 * stay well under the 5 KB gzip budget without a minifier in the build (test/workers/embed.unit.test.ts
 * measures it); identifiers stay readable for anyone debugging a host page.
 */
function strip(source: string): string {
  return source
    .replace(/^[ \t]*\/\/.*\n/gm, "")
    .replace(/^[ \t]+/gm, "")
    .replace(/\n{2,}/g, "\n")
    .trim();
}

// FNV-1a over the served text: changes exactly when the snippet does.
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

let served: { text: string; etag: string } | undefined;

/** The served text and its ETag, made on the first /embed.js of an isolate rather than on every cold start. */
export function embedScript(): { text: string; etag: string } {
  if (!served) {
    const text = strip(EMBED_SOURCE);
    served = { text, etag: `"${fnv1a(text)}"` };
  }
  return served;
}
