import type { Config } from "../config";
import type { Database } from "../db";
import type { RotationService } from "../routing/rotation-service";

/** What every domain verb receives: no `env`, no request, so any transport (HTTP, bots, cron) can call it. */
export interface DomainContext {
  config: Config;
  database: Database;
  now: () => number;
  rotation: RotationService;
}

export interface Actor {
  type: "system" | "owner" | "rep" | "prospect" | "api";
  id?: string | null;
}

export interface WorkspaceRef {
  id: string;
  defaultCountry: string;
}
