import type { Context } from "hono";
import type { Actor } from "../domain/context";
import type { AppEnv } from "./app";

/**
 * Who is acting in the console. Until people sign in as themselves, a dashboard session is the workspace
 * owner's, identified by the key it signed in with; this is the one place to swap in the signed-in person.
 */
export function consoleActor(c: Context<AppEnv>): Actor {
  return { type: "owner", id: c.get("auth").apiKeyId };
}
