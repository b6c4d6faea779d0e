import { parseConfig, type Config } from "./config";
import { slaSweep } from "./cron/sla-sweep";
import { openDatabase } from "./db";
import { createApp } from "./http/create-app";
import { rotationService } from "./routing/rotation-service";

export { Rotation } from "./routing/rotation-do";

type App = ReturnType<typeof createApp>;

// The env object is stable for the life of an isolate; the app is built once per env, not per request.
const apps = new WeakMap<object, { app: App; config: Config } | { issues: string[] }>();

function appFor(env: Env) {
  let entry = apps.get(env);
  if (!entry) {
    const parsed = parseConfig(env as unknown as Record<string, unknown>);
    entry = parsed.ok ? { app: createApp(parsed.config), config: parsed.config } : { issues: parsed.issues };
    apps.set(env, entry);
  }
  return entry;
}

function badEnvironment(issues: string[]): Response {
  return Response.json(
    { error: { code: "BAD_ENVIRONMENT", message: `Worker misconfigured: ${issues.join("; ")}`, requestId: "none" } },
    { status: 500 },
  );
}

export default {
  fetch(request, env, ctx) {
    const entry = appFor(env);
    if ("issues" in entry) return badEnvironment(entry.issues);
    return entry.app.fetch(request, env, ctx);
  },
  async scheduled(controller, env) {
    const entry = appFor(env);
    if ("issues" in entry) throw new Error(`Worker misconfigured: ${entry.issues.join("; ")}`);
    // The tick's own time, not the wall clock: jobs are deterministic and testable with a controlled clock.
    const now = controller.scheduledTime;
    const ctx = { config: entry.config, database: openDatabase(entry.config), now: () => now, rotation: rotationService(env.ROTATION) };
    const sweep = await slaSweep(ctx, now);
    if (sweep.checked > 0) console.log(JSON.stringify({ job: "sla-sweep", checked: sweep.checked }));
  },
} satisfies ExportedHandler<Env>;
