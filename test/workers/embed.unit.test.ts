import { describe, expect, it } from "vitest";
import { embedScript } from "../../workers/embed/embed-script";
import { EMBED_SOURCE } from "../../workers/embed/embed-source";

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

const EMBED_JS = embedScript().text;

describe("embed snippet", () => {
  it("stays under 5 KB gzipped", async () => {
    const size = await gzipSize(EMBED_JS);
    console.log(`embed.js: ${EMBED_JS.length} bytes raw (source ${EMBED_SOURCE.length}), ${size} bytes gzip`);
    expect(size).toBeLessThan(5 * 1024);
  });

  it("is still valid JavaScript after comments and indentation are stripped", () => {
    // workerd forbids eval/new Function at run time, so parse-check the structure instead: balanced
    // brackets outside strings, and no comment line left that could swallow code when lines are joined.
    expect(EMBED_JS).not.toMatch(/^\s*\/\//m);
    let depth = 0;
    let quote: string | null = null;
    for (let i = 0; i < EMBED_JS.length; i++) {
      const ch = EMBED_JS[i]!;
      if (quote) {
        if (ch === "\\") i++;
        else if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if ("({[".includes(ch)) depth++;
      else if (")}]".includes(ch)) depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    expect(EMBED_JS.startsWith("(function () {")).toBe(true);
  });
});
