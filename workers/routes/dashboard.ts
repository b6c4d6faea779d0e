import { csrf } from "hono/csrf";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import { page } from "../dashboard/layout";
import { onboardingChecklist } from "../dashboard/onboarding-checklist";
import { overviewBody } from "../dashboard/overview-page";
import { DASHBOARD_JS, formsBody, type InviteNotice, repsBody } from "../dashboard/settings-pages";
import { listForms } from "../domain/capture/forms";
import { exportLeadsCsv, LeadExportQuery } from "../domain/leads/lead-export";
import { loadDashboardStats } from "../domain/reports/dashboard-stats";
import { onboardingState, sendTestLead } from "../domain/reports/onboarding";
import { openLeadsByRep } from "../domain/routing/rep-load";
import { createRepTelegramInvite } from "../domain/team/rep-invites";
import { listReps } from "../domain/team/reps";
import { getWorkspace } from "../domain/team/workspaces";
import { AppError } from "../errors";
import type { App } from "../http/app";
import { askForPassword, limitReps } from "../http/console-roles";
import { requireSession } from "../http/dashboard-session";
import { leadVisibility } from "../http/lead-visibility";
import { scope } from "../http/workspace-scope";
import { registerConsole, registerQueueCountsInNav } from "./console";
import { registerChannelPages } from "./dashboard-channels";
import { registerFormPages } from "./dashboard-forms";
import { registerImportPages } from "./dashboard-import";
import { registerRepPages } from "./dashboard-reps";
import { registerRoutingPages } from "./dashboard-routing";
import { registerScoringPages } from "./dashboard-scoring";
import { registerSequencePages } from "./dashboard-sequences";
import { registerDashboardSignIn } from "./dashboard-sign-in";
import { registerDashboardTeam } from "./dashboard-team";
import { registerWebhookPages } from "./dashboard-webhooks";

const clampInt = (v: string | undefined, def: number, min: number, max: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : def;
};

/** The owner dashboard at /app: server-rendered pages over the same domain verbs as the API. */
export function registerDashboard(app: App) {
  // Form posts from another site are refused (Origin check) on top of the SameSite=Lax cookie.
  const sameOrigin = csrf();
  app.use("/app/*", async (c, next) => {
    try {
      await sameOrigin(c, next);
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403)
        throw new AppError("FORBIDDEN", "Cross-site form posts are refused.");
      throw err;
    }
  });

  registerDashboardSignIn(app);

  app.use("/app", requireSession);
  app.use("/app/*", requireSession);
  app.use("/app", limitReps);
  app.use("/app/*", limitReps);
  app.use("/app/*", askForPassword);
  // A missing lead or a bad filter is a page a person reads, not the API's JSON error.
  app.use("/app/*", async (c, next) => {
    await next();
    const err = c.error;
    if (c.req.method === "GET" && err instanceof AppError && err.status < 500 && !c.req.path.endsWith(".csv")) {
      c.res = await c.html(
        page(
          err.code === "NOT_FOUND" ? "Not found" : "Cannot show this",
          "",
          html`<p class="err" role="alert">${err.message}</p><p><a href="/app/leads">Back to leads</a></p>`,
        ),
        err.status,
      );
    }
  });

  registerQueueCountsInNav(app);

  app.get("/app/assets/dashboard.js", (c) =>
    c.body(DASHBOARD_JS, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "private, max-age=300",
    }),
  );

  app.get("/app", async (c) => {
    const days = clampInt(c.req.query("days"), 30, 1, 365);
    const slaMinutes = clampInt(c.req.query("sla"), 15, 1, 10_080);
    const [{ stats, timeZone }, setup] = await Promise.all([
      loadDashboardStats(scope(c), { days, slaMinutes }),
      onboardingState(scope(c)),
    ]);
    return c.html(
      page("Overview", "/app", html`${onboardingChecklist(setup)}${overviewBody(stats, { days, timeZone })}`),
    );
  });
  app.post("/app/onboarding/test-lead", async (c) => {
    const { lead } = await sendTestLead(scope(c));
    return c.redirect(`/app/leads/${lead.id}`, 303);
  });

  app.get("/app/leads/export.csv", async (c) => {
    const parsed = LeadExportQuery.safeParse(nonEmpty(c.req.query()));
    if (!parsed.success) throw AppError.validation({ query: parsed.error.issues[0]?.message ?? "Bad filter." });
    const { csv } = await exportLeadsCsv(scope(c), { ...parsed.data, visibleTo: leadVisibility(c) });
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="leads.csv"',
    });
  });

  // After the CSV export: the console's /app/leads/:id would otherwise answer /app/leads/export.csv.
  registerConsole(app);

  app.get("/app/reps", async (c) => {
    const s = scope(c);
    const [reps, open, ws] = await Promise.all([
      listReps(s),
      openLeadsByRep(s),
      getWorkspace({ ctx: s.ctx, workspaceId: s.workspace.id }),
    ]);
    return c.html(page("Reps", "/app/reps", repsBody(reps, open, s.ctx.now(), ws.timezone)));
  });
  app.post("/app/reps/:id/telegram-invite", async (c) => {
    const s = scope(c);
    const repId = c.req.param("id");
    let invite: InviteNotice;
    let status: 200 | 404 | 409 = 200;
    try {
      invite = { repId, deepLink: (await createRepTelegramInvite(s, repId)).deepLink };
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== "NOT_FOUND" && err.code !== "CONFLICT")) throw err;
      invite = { repId, error: err.message };
      status = err.code === "NOT_FOUND" ? 404 : 409;
    }
    const [reps, open, ws] = await Promise.all([
      listReps(s),
      openLeadsByRep(s),
      getWorkspace({ ctx: s.ctx, workspaceId: s.workspace.id }),
    ]);
    return c.html(page("Reps", "/app/reps", repsBody(reps, open, s.ctx.now(), ws.timezone, invite)), status);
  });

  registerRepPages(app);
  registerFormPages(app);

  app.get("/app/forms", async (c) =>
    c.html(page("Forms", "/app/forms", formsBody(await listForms(scope(c)), new URL(c.req.url).origin))),
  );

  registerScoringPages(app);
  registerWebhookPages(app);
  registerRoutingPages(app);
  registerSequencePages(app);
  registerDashboardTeam(app);
  registerChannelPages(app);
  registerImportPages(app);
}

function nonEmpty(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ""));
}
