import type { Context } from "hono";
import type { Actor } from "../domain/context";
import type { Principal } from "../domain/team/principal";
import type { AppEnv } from "./app";

/**
 * Who made a change, as timeline events and API changes record it: the signed-in person or the API key.
 * Every route and console handler that writes takes its actor from here.
 */
export function actorOf(c: Context<AppEnv>): Actor {
  return actorOfPrincipal(c.get("auth").principal);
}

export function actorOfPrincipal(p: Principal): Actor {
  return p.kind === "person" ? { type: "person", id: p.personId } : { type: "api", id: p.keyId };
}

export function principalOf(c: Context<AppEnv>): Principal {
  return c.get("auth").principal;
}
