import { EMBED_JS } from "../embed/embed-script";
import type { App } from "../http/app";

export function registerEmbed(app: App) {
  app.get("/embed.js", (c) =>
    c.body(EMBED_JS, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      // Short: a fix to the snippet reaches every host page within minutes; the ETag makes revalidation cheap.
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "cross-origin",
    }),
  );
}
