import { cors } from "hono/cors";
import type { ChannelList } from "../channels/channel";
import type { Config } from "../config";
import { openDatabase } from "../db";
import { AppError } from "../errors";
import { queueRetries } from "../outbox/retry-queue";
import { registerApiKeys } from "../routes/api-keys";
import { registerAudit } from "../routes/audit";
import { registerDashboard } from "../routes/dashboard";
import { registerEmbed } from "../routes/embed";
import { registerFormCapture } from "../routes/form-capture";
import { registerForms } from "../routes/forms";
import { registerHealth } from "../routes/health";
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
import { rotationService } from "../routing/rotation-service";
import { slaClock } from "../routing/sla-clock";
import { newApp } from "./app";
import { auditTrail } from "./audit-trail";
import { requireApiKey, requireJsonBody } from "./auth";
import { preloadJsonBody } from "./json-body";
import { renderError } from "./on-error";
import { limitHookByChannel, limitPublicByIp } from "./rate-limit";
import { rejectUnstorableUrl } from "./text-safety";

/** The app of one deployment: its config and its channels (the list at the entry), each adding its own routes. */
export function createApp(config: Config, channels: ChannelList, clock: () => number = Date.now) {
  const app = newApp();

  app.use("*", async (c, next) => {
    c.set("requestId", c.req.header("cf-ray") ?? crypto.randomUUID());
    c.set("config", config);
    // app.request() in tests has no execution context; then outbox rows are left for the cron job.
    let waitUntil: ((p: Promise<unknown>) => void) | undefined;
    try {
      const ec = c.executionCtx;
      waitUntil = (p) => ec.waitUntil(p);
    } catch {
      waitUntil = undefined;
    }
    const scheduleRetry = queueRetries(c.env?.OUTBOX_RETRY, clock);
    c.set("ctx", {
      config,
      channels,
      database: openDatabase(config),
      now: clock,
      rotation: rotationService(c.env?.ROTATION),
      slaClock: slaClock(c.env?.SLA_TIMER),
      waitUntil,
      scheduleRetry,
      inbound: c.env?.INBOUND,
    });
    await next();
    c.header("X-Request-Id", c.get("requestId"));
  });
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

  app.use("/f/*", limitPublicByIp);
  app.use("/hooks/:platform/:channelId", limitHookByChannel);

  registerHealth(app);
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
  for (const channel of channels) channel.routes(app);
  registerFormCapture(app);
  registerEmbed(app);
  registerDashboard(app);
  registerOpenApi(app);

  app.notFound((c) => renderError(new AppError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`), c));
  app.onError((err, c) => renderError(err, c));
  return app;
}
