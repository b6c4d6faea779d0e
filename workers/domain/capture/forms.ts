import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { type FormField, form, workspace } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId, randomToken } from "../../lib/ids";
import type { DomainContext, Scope, WorkspaceRef } from "../context";

export type Form = typeof form.$inferSelect;

export const DEFAULT_FORM_FIELDS: FormField[] = [
  { name: "name", label: "Name", type: "text", required: true, maxLength: 120 },
  { name: "email", label: "Email", type: "email", maxLength: 254 },
  { name: "phone", label: "Phone", type: "tel", maxLength: 40 },
  { name: "message", label: "How can we help?", type: "textarea", maxLength: 2000 },
];

const FieldName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "Lower-case letters, digits and _; starts with a letter.");

export const FormFieldSchema = z
  .object({
    name: FieldName,
    label: z.string().trim().min(1).max(200),
    type: z.enum(["text", "email", "tel", "textarea", "select", "number", "checkbox"]),
    required: z.boolean().optional(),
    maxLength: z.number().int().min(1).max(5000).optional(),
    options: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  })
  .openapi("FormField");

const Origin = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, "An origin such as https://example.com (scheme and host, no path).");

export const FormInput = z.object({
  name: z.string().trim().min(1).max(120),
  fields: z.array(FormFieldSchema).min(1).max(50).optional(),
  allowedOrigins: z.array(Origin).max(50).optional(),
  honeypotField: FieldName.optional(),
  successMessage: z.string().trim().min(1).max(500).optional(),
  redirectUrl: z.url({ protocol: /^https?$/ }).nullish(),
  // Sent by email when an email API is configured and the lead left an address.
  autoReplyText: z.string().trim().min(1).max(4000).nullish(),
  autoReplySubject: z.string().trim().min(1).max(200).nullish(),
  turnstileSiteKey: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, "A Turnstile site key.")
    .nullish(),
  consentText: z.string().trim().min(1).max(500).nullish(),
});
export type FormInput = z.infer<typeof FormInput>;

// Public form settings are read on every capture; caching them per isolate saves a round trip so a
// capture costs one libSQL request. Edits through this isolate drop the entry at once, others within the TTL.
// The entry holds the read itself, so submissions arriving together while it expired share one read.
const cache = new Map<string, { expires: number; value: Promise<PublicForm> }>();

export interface PublicForm {
  form: Form;
  workspace: WorkspaceRef;
}

export function forgetCachedForm(publicKey: string) {
  cache.delete(publicKey);
}

export async function findPublicForm(ctx: DomainContext, publicKey: string): Promise<PublicForm> {
  const now = ctx.now();
  const hit = cache.get(publicKey);
  if (hit && hit.expires > now) return hit.value;
  const value = ctx.database.db
    .select({ form, defaultCountry: workspace.defaultCountry })
    .from(form)
    .innerJoin(workspace, eq(workspace.id, form.workspaceId))
    .where(eq(form.publicKey, publicKey))
    .get()
    .then((row) => {
      if (!row) throw AppError.notFound("Form");
      return { form: row.form, workspace: { id: row.form.workspaceId, defaultCountry: row.defaultCountry } };
    });
  if (cache.size > 1000) cache.clear();
  const entry = { expires: now + ctx.config.FORM_CACHE_TTL_SECONDS * 1000, value };
  cache.set(publicKey, entry);
  // Neither a missing form nor a failed read is cached.
  value.catch(() => cache.get(publicKey) === entry && cache.delete(publicKey));
  return value;
}

function checkFields(fields: FormField[]) {
  const seen = new Set<string>();
  for (const [i, f] of fields.entries()) {
    if (seen.has(f.name)) throw AppError.validation({ [`fields.${i}.name`]: `Duplicate field name "${f.name}".` });
    seen.add(f.name);
    if (f.type === "select" && !f.options?.length) {
      throw AppError.validation({ [`fields.${i}.options`]: "A select field needs options." });
    }
  }
  if (!fields.some((f) => f.name === "email" || f.name === "phone")) {
    throw AppError.validation({ fields: "A form needs an `email` or a `phone` field: a lead must be reachable." });
  }
}

export async function listForms({ ctx, workspace }: Scope): Promise<Form[]> {
  return ctx.database.db
    .select()
    .from(form)
    .where(eq(form.workspaceId, workspace.id))
    .orderBy(asc(form.createdAt))
    .all();
}

export async function getForm({ ctx, workspace }: Scope, id: string): Promise<Form> {
  const row = await ctx.database.db
    .select()
    .from(form)
    .where(and(eq(form.workspaceId, workspace.id), eq(form.id, id)))
    .get();
  if (!row) throw AppError.notFound("Form");
  return row;
}

export async function createForm({ ctx, workspace }: Scope, input: FormInput): Promise<Form> {
  const fields = input.fields ?? DEFAULT_FORM_FIELDS;
  checkFields(fields);
  const now = ctx.now();
  return ctx.database.db
    .insert(form)
    .values({
      ...input,
      id: newId("form", now),
      workspaceId: workspace.id,
      publicKey: `f_${randomToken(20)}`,
      fields,
      allowedOrigins: input.allowedOrigins ?? [],
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
}

export async function updateForm({ ctx, workspace }: Scope, id: string, input: Partial<FormInput>): Promise<Form> {
  if (input.fields) checkFields(input.fields);
  const row = await ctx.database.db
    .update(form)
    .set({ ...input, updatedAt: ctx.now() })
    .where(and(eq(form.workspaceId, workspace.id), eq(form.id, id)))
    .returning()
    .get();
  if (!row) throw AppError.notFound("Form");
  forgetCachedForm(row.publicKey);
  return row;
}

export async function deleteForm({ ctx, workspace }: Scope, id: string): Promise<void> {
  const row = await ctx.database.db
    .delete(form)
    .where(and(eq(form.workspaceId, workspace.id), eq(form.id, id)))
    .returning({ publicKey: form.publicKey })
    .get();
  if (!row) throw AppError.notFound("Form");
  forgetCachedForm(row.publicKey);
}
