import { call } from "./harness";

export interface Operation {
  method: string;
  /** e.g. /api/v1/leads/{id} */
  template: string;
  /** the first path segment after /api/v1: leads, reps, forms, workspace(s) */
  resource: string;
  hasBody: boolean;
  needsId: boolean;
}

/**
 * Every owner-API operation, read from the app's own OpenAPI document, so a route added later is probed
 * by the security suites without anyone remembering to list it.
 */
export async function ownerOperations(): Promise<Operation[]> {
  const doc = (await call("GET", "/api/openapi.json")).json as {
    paths: Record<string, Record<string, { requestBody?: unknown }>>;
  };
  const ops: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    if (!template.startsWith("/api/v1/")) continue;
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        template,
        resource: template.split("/")[3]!,
        hasBody: Boolean(op.requestBody),
        needsId: template.includes("{"),
      });
    }
  }
  return ops;
}

/**
 * A body the operation would accept, so that the one thing wrong in a probe is the thing under test.
 * `own` holds ids of the caller's own workspace some bodies refer to (a rep, a pool).
 */
export function validBodyFor(
  op: Operation,
  unique: string,
  own: { repId?: string; poolId?: string } = {},
): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    "POST /api/v1/workspaces": { name: `Probe ${unique}` },
    "PATCH /api/v1/workspace": { name: `Probe ${unique}` },
    "POST /api/v1/reps": { name: "Probe Rep" },
    "PATCH /api/v1/reps/{id}": { paused: true },
    "POST /api/v1/forms": { name: "Probe Form" },
    "PATCH /api/v1/forms/{id}": { name: "Probe Form" },
    "POST /api/v1/leads": { email: `probe-${unique}@example.com` },
    "PATCH /api/v1/leads/{id}": { status: "won", notes: "probe" },
    "POST /api/v1/leads/{id}/claim": { repId: own.repId ?? "rep_x" },
    "POST /api/v1/leads/{id}/pass": { repId: own.repId ?? "rep_x" },
    "POST /api/v1/leads/{id}/assign": own.repId ? { repId: own.repId } : {},
    "POST /api/v1/pools": { name: `Probe pool ${unique}` },
    "PATCH /api/v1/pools/{id}": { slaMinutes: 30 },
    "POST /api/v1/routing-rules": { name: "Probe rule", match: { sources: ["form"] }, poolId: own.poolId ?? "pool_x" },
    "PATCH /api/v1/routing-rules/{id}": { name: "Probe rule" },
    "POST /api/v1/sequences": {
      name: `Probe sequence ${unique}`,
      steps: [{ delayMinutes: 60, sender: "email", text: "Hi {name}" }],
    },
    "PATCH /api/v1/sequences/{id}": { active: false },
    "POST /api/v1/sequences/{id}/steps": { delayMinutes: 120, sender: "email", text: "Still there?" },
    "PATCH /api/v1/sequences/{id}/steps/{position}": { delayMinutes: 30 },
    "POST /api/v1/webhooks": { url: "https://hooks.example.com/leadrelay", events: ["lead.created"] },
    "PATCH /api/v1/webhooks/{id}": { active: false },
    "PUT /api/v1/scoring": {},
    "POST /api/v1/people": {
      email: `probe-${unique}@example.com`.toLowerCase().replace(/[^a-z0-9@.-]/g, "x"),
      name: "Probe Person",
      role: "admin",
    },
    "PATCH /api/v1/people/{id}": { role: "admin" },
    "POST /api/v1/api-keys": { name: `Probe key ${unique}`, scope: "read" },
    "POST /api/v1/api-keys/{id}/rotate": {},
    "POST /api/v1/scoring/rescore": {},
    "POST /api/v1/channels/whatsapp": {
      phoneNumberId: "106540352242922",
      accessToken: `EAAGprobe${unique}xxxxxxxxxxxxxxxx`.replace(/[^\x21-\x7e]/g, "x"),
      appSecret: "probe-app-secret-0001",
      verifyToken: "probe-verify",
    },
  };
  return bodies[`${op.method} ${op.template}`] ?? {};
}
