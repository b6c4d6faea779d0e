import type { ApiKeyScope, PersonRole } from "../../../db/schema";

/** Who is calling: a person signed in to the console, or an API key. Domain verbs check permissions on it. */
export type Principal =
  | { kind: "person"; personId: string; role: PersonRole; repId: string | null; sessionId: string }
  | { kind: "key"; keyId: string; scope: ApiKeyScope };

/** Owners and admins run the workspace; a write key acts like an admin (never like the owner). */
export function canManage(p: Principal): boolean {
  return p.kind === "key" ? p.scope === "write" : p.role !== "rep";
}
