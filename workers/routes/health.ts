import type { App } from "../http/app";

export function registerHealth(app: App) {
  app.get("/", (c) => c.json({ name: "LeadRelay", docs: "/api/openapi.json", health: "/health" }));
  // Checks the database too: a Worker that cannot reach libSQL is not healthy.
  app.get("/health", async (c) => {
    await c.get("ctx").database.client.execute("SELECT 1");
    return c.json({ ok: true });
  });
}
