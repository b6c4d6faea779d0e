import type { Context } from "hono";
import type { Scope } from "../domain/context";
import type { AppEnv } from "./app";

/** The calling key's workspace as domain verbs take it; the auth lookup joined its settings already. */
export function scope(c: Context<AppEnv>): Scope {
  const auth = c.get("auth");
  return { ctx: c.get("ctx"), workspace: { id: auth.workspaceId, defaultCountry: auth.defaultCountry } };
}
