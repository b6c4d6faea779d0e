import { cors } from "hono/cors";
import type { ChannelList } from "../channels/channel";
import type { Config } from "../config";
import { registerApiKeys } from "../routes/api-keys";
import { registerAudit } from "../routes/audit";
import { registerDashboard } from "../routes/dashboard";
import { registerForms } from "../routes/forms";
import { registerLeadActions } from "../routes/lead-actions";
import { registerLeadErasure } from "../routes/lead-erasure";
import { registerLeadExport } from "../routes/lead-export";
import { registerLeads } from "../routes/leads";
import { registerOpenApi } from "../routes/openapi";
import { registerPeople } from "../routes/people";
import { registerPools } from "../routes/pools";
import { registerRepLoad } from "../routes/rep-load";
import { registerReps } from "../routes/reps";
import { registerRoutingPreview } from "../routes/routing-preview";
import { registerRoutingRules } from "../routes/routing-rules";
import { registerScoring } from "../routes/scoring";
import { registerSequences } from "../routes/sequences";
import { registerWebhooks } from "../routes/webhooks";
import { registerWorkspaces } from "../routes/workspaces";
import { newApp } from "./app";
import { auditTrail } from "./audit-trail";
import { requireApiKey, requireJsonBody } from "./auth";
import { preloadJsonBody } from "./json-body";
import { answerErrors } from "./on-error";
import { useRequestContext } from "./request-context";
import { rejectUnstorableUrl } from "./text-safety";

/**
 * The owner API (/api, with its OpenAPI document) and the console (/app), built when the first such request
 * arrives (workers/http/create-app.ts): registering their hundred-odd routes is work a cold start that serves a
 * form POST, a webhook, a queue batch or a cron tick does not do.
 */
export function createOwnerApp(config: Config, channels: ChannelList, clock: () => number) {
  const app = newApp();
  useRequestContext(app, config, channels, clock);
  // Outside auth, so it sees the final answer and the actor the inner middleware set.
  app.use("/api/v1/*", auditTrail);
  app.use("/app/*", auditTrail);
  // The owner API is called from the dashboard and from servers with a bearer key, never with cookies.
  app.use("/api/*", cors({ origin: "*", allowHeaders: ["Authorization", "Content-Type"], maxAge: 600 }));
  app.use("/api/v1/*", rejectUnstorableUrl);
  app.use("/api/v1/*", async (c, next) => {
    // Creating a workspace is the one owner route without an API key (it is how you get one).
    if (c.req.method === "POST" && c.req.path === "/api/v1/workspaces") return next();
    return requireApiKey(c, next);
  });
  // After auth, so a caller without a key learns nothing but 401.
  app.use("/api/v1/*", requireJsonBody);
  // After auth: a caller without a key never gets its body read.
  app.use("/api/v1/*", preloadJsonBody);

  registerWorkspaces(app);
  registerPeople(app);
  registerApiKeys(app);
  registerAudit(app);
  registerReps(app);
  registerForms(app);
  // Before registerLeads: "/api/v1/leads/export.csv" must not be taken for a lead id.
  registerLeadExport(app);
  registerLeads(app);
  registerLeadErasure(app);
  registerLeadActions(app);
  registerPools(app);
  registerRoutingRules(app);
  registerRoutingPreview(app);
  registerRepLoad(app);
  registerSequences(app);
  registerScoring(app);
  registerWebhooks(app);
  for (const channel of channels) channel.ownerRoutes?.(app);
  registerDashboard(app);
  registerOpenApi(app);

  answerErrors(app);
  return app;
}
