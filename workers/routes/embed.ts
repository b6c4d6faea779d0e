import { EMBED_JS } from "../embed/embed-script";
import type { App } from "../http/app";

// FNV-1a over the served text, computed once per isolate: changes exactly when the snippet does.
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

const ETAG = `"${fnv1a(EMBED_JS)}"`;

export function registerEmbed(app: App) {
  app.get("/embed.js", (c) => {
    const headers = {
      "Content-Type": "text/javascript; charset=utf-8",
      // Short: a fix to the snippet reaches every host page within minutes; the ETag makes revalidation cheap.
      "Cache-Control": "public, max-age=300",
      ETag: ETAG,
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "cross-origin",
    };
    if (c.req.header("if-none-match") === ETAG) return c.body(null, 304, headers);
    return c.body(EMBED_JS, 200, headers);
  });
}
