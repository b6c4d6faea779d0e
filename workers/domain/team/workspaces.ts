import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { apiKey, FAILED_STEP_POLICIES, RE_INQUIRY_POLICIES, workspace } from "../../../db/schema";
import { AppError } from "../../errors";
import { generateApiKey, hashApiKey } from "../../lib/api-key";
import { newId } from "../../lib/ids";
import type { DomainContext } from "../context";
import { Country, TimeZone } from "../input-fields";
import { requireWorkspaceRep } from "./reps";

export type Workspace = typeof workspace.$inferSelect;

export const ReInquiryPolicy = z.enum(RE_INQUIRY_POLICIES).openapi({
  description: "a won or lost lead that writes again: `reopen` (back to new, routed and alerted) or `keep`",
});
export const FailedStepPolicy = z.enum(FAILED_STEP_POLICIES).openapi({
  description: "a sequence step that could not be delivered: `stop` the enrolment or `skip` to the next step",
});

export const CreateWorkspaceInput = z.object({
  name: z.string().trim().min(1).max(120),
  defaultCountry: Country.optional(),
  timezone: TimeZone.optional(),
});
export type CreateWorkspaceInput = z.infer<typeof CreateWorkspaceInput>;

export const WorkspacePatch = CreateWorkspaceInput.partial().extend({
  ownerRepId: z.string().max(64).nullable().optional(),
  repsSeeUnassigned: z.boolean().optional(),
  queueHotFirst: z.boolean().optional(),
  reInquiryPolicy: ReInquiryPolicy.optional(),
  failedStepPolicy: FailedStepPolicy.optional(),
});
export type WorkspacePatch = z.infer<typeof WorkspacePatch>;

/** Creates a workspace and its first API key in one batch; the key is returned once and stored hashed. */
export async function createWorkspace({ ctx, input }: { ctx: DomainContext; input: CreateWorkspaceInput }) {
  const now = ctx.now();
  const ws: Workspace = {
    id: newId("ws", now),
    name: input.name,
    defaultCountry: (input.defaultCountry ?? "US").toUpperCase(),
    timezone: input.timezone ?? "UTC",
    ownerRepId: null,
    queueHotFirst: false,
    repsSeeUnassigned: false,
    reInquiryPolicy: "reopen",
    failedStepPolicy: "stop",
    createdAt: now,
    updatedAt: now,
  };
  const { key, prefix } = generateApiKey();
  const keyRow = {
    id: newId("key", now),
    workspaceId: ws.id,
    name: "default",
    prefix,
    hash: await hashApiKey(key),
    createdAt: now,
  };
  const { db } = ctx.database;
  await db.batch([db.insert(workspace).values(ws), db.insert(apiKey).values(keyRow)]);
  return { workspace: ws, apiKey: { id: keyRow.id, key, prefix } };
}

export async function getWorkspace({ ctx, workspaceId }: { ctx: DomainContext; workspaceId: string }) {
  const row = await ctx.database.db.select().from(workspace).where(eq(workspace.id, workspaceId)).get();
  if (!row) throw AppError.notFound("Workspace");
  return row;
}

export async function updateWorkspace({
  ctx,
  workspaceId,
  input,
}: {
  ctx: DomainContext;
  workspaceId: string;
  input: WorkspacePatch;
}) {
  if (input.ownerRepId) await requireWorkspaceRep(ctx, workspaceId, input.ownerRepId, "ownerRepId");
  const patch = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.defaultCountry !== undefined ? { defaultCountry: input.defaultCountry.toUpperCase() } : {}),
    ...(input.timezone !== undefined ? { timezone: input.timezone } : {}),
    ...(input.ownerRepId !== undefined ? { ownerRepId: input.ownerRepId } : {}),
    ...(input.queueHotFirst !== undefined ? { queueHotFirst: input.queueHotFirst } : {}),
    ...(input.repsSeeUnassigned !== undefined ? { repsSeeUnassigned: input.repsSeeUnassigned } : {}),
    ...(input.reInquiryPolicy !== undefined ? { reInquiryPolicy: input.reInquiryPolicy } : {}),
    ...(input.failedStepPolicy !== undefined ? { failedStepPolicy: input.failedStepPolicy } : {}),
    updatedAt: ctx.now(),
  };
  const row = await ctx.database.db.update(workspace).set(patch).where(eq(workspace.id, workspaceId)).returning().get();
  if (!row) throw AppError.notFound("Workspace");
  return row;
}
