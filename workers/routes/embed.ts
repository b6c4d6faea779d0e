import { embedScript } from "../embed/embed-script";
import type { App } from "../http/app";

export function registerEmbed(app: App) {
  app.get("/embed.js", (c) => {
    const { text, etag } = embedScript();
    const headers = {
      "Content-Type": "text/javascript; charset=utf-8",
      // Short: a fix to the snippet reaches every host page within minutes; the ETag makes revalidation cheap.
      "Cache-Control": "public, max-age=300",
      ETag: etag,
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "cross-origin",
    };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return c.body(text, 200, headers);
  });
}
