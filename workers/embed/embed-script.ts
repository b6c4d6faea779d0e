import { EMBED_SOURCE } from "./embed-source";

/**
 * What /embed.js serves: the readable source minus whole-line comments and indentation. Good enough to
 * stay well under the 5 KB gzip budget without a minifier in the build (test/workers/embed.unit.test.ts
 * measures it); identifiers stay readable for anyone debugging a host page.
 */
export const EMBED_JS = EMBED_SOURCE.replace(/^[ \t]*\/\/.*\n/gm, "")
  .replace(/^[ \t]+/gm, "")
  .replace(/\n{2,}/g, "\n")
  .trim();
