import type { App } from "../http/app";

export function registerOpenApi(app: App) {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A workspace API key (`lr_…`), shown once when the workspace or key is created.",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "LeadRelay API",
      version: "1.0.0",
      description:
        "Owner API of LeadRelay. Every error has the shape `{ error: { code, message, requestId, fields? } }`.",
    },
    security: [{ apiKey: [] }],
  });
}
