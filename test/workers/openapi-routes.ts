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
  const doc = (await call("GET", "/api/openapi.json")).json as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
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

/** A body the operation would accept, so that the one thing wrong in a probe is the thing under test. */
export function validBodyFor(op: Operation, unique: string): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    "POST workspaces": { name: `Probe ${unique}` },
    "PATCH workspace": { name: `Probe ${unique}` },
    "POST reps": { name: "Probe Rep" },
    "PATCH reps": { paused: true },
    "POST forms": { name: "Probe Form" },
    "PATCH forms": { name: "Probe Form" },
    "POST leads": { email: `probe-${unique}@example.com` },
    "PATCH leads": { status: "won", notes: "probe" },
  };
  return bodies[`${op.method} ${op.resource}`] ?? {};
}
