import { OpenAPIHono } from "@hono/zod-openapi";
import type { z } from "zod";
import type { Config } from "../config";
import type { DomainContext } from "../domain/context";
import type { Principal } from "../domain/team/principal";
import type { SignedInPerson } from "../domain/team/sessions";
import { AppError, type FieldErrors } from "../errors";

export interface AuthInfo {
  workspaceId: string;
  /** The calling key; null for a person signed in to the console (see `principal`). */
  apiKeyId: string | null;
  defaultCountry: string;
  principal: Principal;
  /** Set for console sessions: whose leads a rep sees, whether they still need a password. */
  person?: SignedInPerson;
}

export type AppEnv = {
  Bindings: Env;
  Variables: {
    config: Config;
    ctx: DomainContext;
    requestId: string;
    auth: AuthInfo;
  };
};

/**
 * zod issues → `{ "fields.1.name": "..." }`, the `fields` of the one error shape. Query and path
 * parameters are named by the parameter alone (`status`, not `status.0` of its parsed list).
 */
export function fieldErrorsFromZod(error: z.ZodError, target: string = "json"): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = target === "query" || target === "param" ? issue.path.slice(0, 1) : issue.path;
    const key = path.length > 0 ? path.join(".") : "body";
    fields[key] ??= issue.message;
  }
  return fields;
}

export function newApp() {
  return new OpenAPIHono<AppEnv>({
    // Validation failures of every route go through the same error shape as everything else.
    defaultHook: (result) => {
      if (!result.success) throw AppError.validation(fieldErrorsFromZod(result.error, result.target));
    },
  });
}

export type App = ReturnType<typeof newApp>;
