import { createMiddleware } from "hono/factory";
import { type AuditEntry, recordAudit } from "../domain/team/audit-log";
import type { AppEnv } from "./app";

// Path segment after /api/v1/ or /app/ → the settings resource it changes. Leads are absent on purpose:
// their changes are timeline events, which name the actor already.
const API_RESOURCES: Record<string, string> = {
  forms: "form",
  pools: "pool",
  "routing-rules": "routing_rule",
  reps: "rep",
  sequences: "sequence",
  webhooks: "webhook",
  scoring: "scoring",
  channels: "channel",
  people: "person",
  "api-keys": "api_key",
  workspace: "workspace",
};
const CONSOLE_RESOURCES: Record<string, string> = {
  forms: "form",
  reps: "rep",
  webhooks: "webhook",
  scoring: "scoring",
  channels: "channel",
  people: "person",
  keys: "api_key",
  account: "person",
  sessions: "session",
};
// Resources that exist once per workspace: a POST to them changes, not creates.
const SINGLETONS = new Set(["scoring", "workspace"]);
// Second path parts that name a kind, not an id (POST /api/v1/channels/telegram creates a channel).
const KIND_SEGMENTS = new Set(["telegram", "whatsapp"]);
const VERBS: Record<string, string> = { delete: "deleted", revoke: "revoked", rotate: "rotated", end: "ended" };

const verb = (part: string) => VERBS[part] ?? part.replace(/-/g, "_");

/**
 * What a mutating request changes, from its method and path, or null when it is no settings change. The
 * resource id is the path's, or for a creation the one the answer names (filled in by the middleware).
 */
export function auditTarget(method: string, path: string): AuditEntry | null {
  const api = /^\/api\/v1\/([a-z-]+)(?:\/(.*))?$/.exec(path);
  const console = api ? null : /^\/app\/([a-z-]+)(?:\/(.*))?$/.exec(path);
  const m = api ?? console;
  if (!m) return null;
  const resourceType = (api ? API_RESOURCES : CONSOLE_RESOURCES)[m[1]!];
  if (!resourceType) return null;
  const rest = m[2] ? m[2].split("/").filter(Boolean) : [];
  if (console && m[1] === "people" && rest[0] === "invite")
    return { action: "person.invited", resourceType, resourceId: null };
  if (console && m[1] === "people" && rest[0] === "unassigned-queue")
    return { action: "workspace.updated", resourceType: "workspace", resourceId: null };
  if (console && m[1] === "account")
    return { action: `person.${verb(rest.join("_"))}`, resourceType, resourceId: null };
  if (rest[0] && KIND_SEGMENTS.has(rest[0])) rest.shift();
  // A preview (scoring) computes and stores nothing.
  if (rest[0] === "preview") return null;
  const id = rest[0] ?? null;
  const sub = rest[1];
  const at = (v: string) => ({ action: `${resourceType}.${v}`, resourceType, resourceId: id });
  if (sub) {
    if (method === "DELETE") return at(`${verb(sub)}_deleted`);
    if (method === "PATCH" || method === "PUT") return at(`${verb(sub)}_updated`);
    return at(verb(sub));
  }
  if (method === "DELETE") return at("deleted");
  if (method === "PATCH" || method === "PUT") return at("updated");
  if (id === null && SINGLETONS.has(resourceType)) return at("updated");
  if (id === null && rest.length === 0) return at("created");
  return at("updated"); // a console form posted back to its resource
}

async function createdId(res: Response): Promise<string | null> {
  const location = res.headers.get("location");
  const fromLocation = location ? /\/([a-z]+_[A-Za-z0-9]+)(?:[/?#]|$)/.exec(location)?.[1] : undefined;
  if (fromLocation) return fromLocation;
  if (!res.headers.get("content-type")?.includes("application/json")) return null;
  try {
    const body = (await res.clone().json()) as { id?: unknown };
    return typeof body.id === "string" ? body.id : null;
  } catch {
    return null;
  }
}

/**
 * Every successful change to a workspace's settings, through the owner API or a console form, is recorded
 * with the person or key that made it. One place, so a new route cannot forget it.
 */
export const auditTrail = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const method = c.req.method;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return;
  const auth = c.get("auth");
  if (!auth || c.res.status >= 400) return;
  const entry = auditTarget(method, c.req.path);
  if (!entry) return;
  if (entry.resourceId === null && entry.action.endsWith(".created")) entry.resourceId = await createdId(c.res);
  const p = auth.principal;
  const actor =
    p.kind === "person" ? { type: "person" as const, id: p.personId } : { type: "api" as const, id: p.keyId };
  await recordAudit(c.get("ctx"), auth.workspaceId, actor, entry);
});
