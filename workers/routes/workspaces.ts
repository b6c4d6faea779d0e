import { createRoute, z } from "@hono/zod-openapi";
import { isLocalDatabase } from "../config";
import { checkThrottle, countAttempt, signUpsByIp } from "../domain/team/auth-throttle";
import {
  CreateWorkspaceInput,
  createWorkspace,
  FailedStepPolicy,
  getWorkspace,
  ReInquiryPolicy,
  updateWorkspace,
  WorkspacePatch,
} from "../domain/team/workspaces";
import { AppError } from "../errors";
import type { App } from "../http/app";
import { bearerToken, clientIp } from "../http/auth";
import { commonErrors, jsonBody, jsonResponse } from "../http/openapi-shared";
import { timingSafeEqualText } from "../lib/timing-safe";

export const WorkspaceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    defaultCountry: z.string(),
    timezone: z.string(),
    ownerRepId: z
      .string()
      .nullable()
      .openapi({ description: "the owner's rep record: escalations and last-resort fallback" }),
    queueHotFirst: z.boolean().openapi({ description: "the unassigned queue hands out hot leads first" }),
    repsSeeUnassigned: z.boolean().openapi({ description: "reps signed in to the console also see unassigned leads" }),
    reInquiryPolicy: ReInquiryPolicy,
    failedStepPolicy: FailedStepPolicy,
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("Workspace");

const create = createRoute({
  method: "post",
  path: "/api/v1/workspaces",
  tags: ["workspaces"],
  summary: "Create a workspace; returns its first API key (shown once)",
  security: [{}],
  request: { body: jsonBody(CreateWorkspaceInput) },
  responses: {
    201: jsonResponse(
      z.object({
        workspace: WorkspaceSchema,
        apiKey: z.object({ id: z.string(), key: z.string(), prefix: z.string() }),
      }),
      "Created. Store `apiKey.key` now: only its hash is kept.",
    ),
    ...commonErrors,
  },
});

const get = createRoute({
  method: "get",
  path: "/api/v1/workspace",
  tags: ["workspaces"],
  summary: "The workspace of the calling API key",
  responses: { 200: jsonResponse(WorkspaceSchema, "The workspace"), ...commonErrors },
});

const patch = createRoute({
  method: "patch",
  path: "/api/v1/workspace",
  tags: ["workspaces"],
  summary: "Update the workspace of the calling API key",
  request: {
    body: jsonBody(WorkspacePatch),
  },
  responses: { 200: jsonResponse(WorkspaceSchema, "Updated"), ...commonErrors },
});

export function registerWorkspaces(app: App) {
  app.openapi(create, async (c) => {
    const config = c.get("config");
    if (config.ADMIN_TOKEN) {
      const token = bearerToken(c.req.header("authorization"));
      if (!token || !timingSafeEqualText(token, config.ADMIN_TOKEN)) {
        throw new AppError("UNAUTHORIZED", "Creating a workspace needs `Authorization: Bearer <ADMIN_TOKEN>`.");
      }
    } else if (!isLocalDatabase(config)) {
      // Fail closed: a deployed Worker without ADMIN_TOKEN would let anyone on the internet create workspaces.
      throw new AppError(
        "FORBIDDEN",
        "Workspace sign-up is disabled: set ADMIN_TOKEN (wrangler secret put ADMIN_TOKEN, 16+ characters) " +
          "and send it as `Authorization: Bearer <ADMIN_TOKEN>`.",
      );
    }
    const ctx = c.get("ctx");
    const ip = clientIp(c);
    // The operator's own sign-ups (past the ADMIN_TOKEN check above) are not limited by address; open local
    // sign-up is.
    const rules = ip && !config.ADMIN_TOKEN ? [signUpsByIp(ip)] : [];
    await checkThrottle(ctx, rules, "workspace sign-ups from this address");
    const created = await createWorkspace({ ctx, input: c.req.valid("json") });
    await countAttempt(ctx, rules);
    return c.json(created, 201);
  });
  app.openapi(get, async (c) =>
    c.json(await getWorkspace({ ctx: c.get("ctx"), workspaceId: c.get("auth").workspaceId }), 200),
  );
  app.openapi(patch, async (c) =>
    c.json(
      await updateWorkspace({ ctx: c.get("ctx"), workspaceId: c.get("auth").workspaceId, input: c.req.valid("json") }),
      200,
    ),
  );
}
