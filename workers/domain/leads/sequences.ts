import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import { form, LEAD_SOURCES, pool, STEP_SENDERS, sequence, sequenceStep } from "../../../db/schema";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import type { Scope } from "../context";

export type SequenceRow = typeof sequence.$inferSelect;
export type SequenceStepRow = typeof sequenceStep.$inferSelect;
export type Sequence = SequenceRow & { steps: SequenceStepRow[] };

const Hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Local time as HH:MM (24 h).")
  .openapi({ example: "21:00" });

export const StepInput = z
  .object({
    delayMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 90)
      .openapi({ description: "After the previous step (after enrolment for the first)" }),
    sender: z.enum(STEP_SENDERS),
    text: z
      .string()
      .trim()
      .min(1)
      .max(4000)
      .nullish()
      .openapi({ description: "Template variables: {name}, {rep_name}, {form}" }),
    subject: z.string().trim().min(1).max(200).nullish(),
    template: z
      .string()
      .trim()
      .min(1)
      .max(512)
      .nullish()
      .openapi({ description: "WhatsApp approved template, used outside the 24-hour window" }),
  })
  .openapi("SequenceStepInput");
export type StepInput = z.infer<typeof StepInput>;

export const SequenceInput = z.object({
  name: z.string().trim().min(1).max(120),
  active: z.boolean().optional(),
  formId: z.string().max(64).nullish().openapi({ description: "Enrol new leads of this form only" }),
  source: z.enum(LEAD_SOURCES).nullish().openapi({ description: "Enrol new leads from this channel only" }),
  poolId: z.string().max(64).nullish().openapi({ description: "Enrol leads routed to this pool (Distribution)" }),
  quietStart: Hhmm.nullish().openapi({
    description: "Quiet hours start, workspace time zone; null = none. Default 21:00",
  }),
  quietEnd: Hhmm.nullish().openapi({ description: "Quiet hours end; default 08:00" }),
  stopOnReply: z.boolean().optional().openapi({
    description: "Stop a lead's follow-ups when the prospect writes again. Default true",
  }),
  stopOnRepResponse: z
    .boolean()
    .optional()
    .openapi({
      description:
        "Stop them when a rep takes over (status past `new`, or a first response recorded). Default true. " +
        "Opting out, a closed lead and a switched-off sequence always stop them",
    }),
  steps: z.array(StepInput).min(1).max(20),
});
export type SequenceInput = z.infer<typeof SequenceInput>;

function checkSteps(steps: StepInput[]) {
  for (const [i, s] of steps.entries()) {
    if (s.sender === "whatsapp" ? !s.text && !s.template : !s.text) {
      throw AppError.validation({
        [`steps.${i}.text`]:
          s.sender === "whatsapp" ? "A WhatsApp step needs text, a template, or both." : "This step needs text.",
      });
    }
  }
}

/**
 * The form and pool a sequence names must be the caller's: a foreign id would otherwise be stored (and B
 * deleting its pool would cascade into A's sequence). Both looked up in one round trip; each miss is a 422 on
 * its own field.
 */
async function checkRefs(
  { ctx, workspace }: Scope,
  input: { formId?: string | null | undefined; poolId?: string | null | undefined },
) {
  const formId = input.formId || null;
  const poolId = input.poolId || null;
  if (!formId && !poolId) return;
  const [forms, pools] = await ctx.database.db.batch([
    ctx.database.db
      .select({ id: form.id })
      .from(form)
      .where(and(eq(form.workspaceId, workspace.id), eq(form.id, formId ?? ""))),
    ctx.database.db
      .select({ id: pool.id })
      .from(pool)
      .where(and(eq(pool.workspaceId, workspace.id), eq(pool.id, poolId ?? ""))),
  ]);
  const errors: Record<string, string> = {};
  if (formId && forms.length === 0) errors.formId = "No such form in this workspace.";
  if (poolId && pools.length === 0) errors.poolId = "No such pool in this workspace.";
  if (Object.keys(errors).length > 0) throw AppError.validation(errors);
}

function stepRows(workspaceId: string, sequenceId: string, steps: StepInput[], now: number) {
  return steps.map((s, i) => ({
    id: newId("step", now),
    sequenceId,
    workspaceId,
    position: i + 1,
    delayMinutes: s.delayMinutes,
    sender: s.sender,
    text: s.text ?? null,
    subject: s.subject ?? null,
    template: s.template ?? null,
    createdAt: now,
    updatedAt: now,
  }));
}

export async function listSequences({ ctx, workspace }: Scope): Promise<Sequence[]> {
  const { db } = ctx.database;
  const [seqs, steps] = await db.batch([
    db.select().from(sequence).where(eq(sequence.workspaceId, workspace.id)).orderBy(asc(sequence.createdAt)),
    db
      .select()
      .from(sequenceStep)
      .where(eq(sequenceStep.workspaceId, workspace.id))
      .orderBy(asc(sequenceStep.position)),
  ]);
  return seqs.map((s) => ({ ...s, steps: steps.filter((st) => st.sequenceId === s.id) }));
}

export async function getSequence({ ctx, workspace }: Scope, id: string): Promise<Sequence> {
  const { db } = ctx.database;
  const [seqs, steps] = await db.batch([
    db
      .select()
      .from(sequence)
      .where(and(eq(sequence.workspaceId, workspace.id), eq(sequence.id, id))),
    db
      .select()
      .from(sequenceStep)
      .where(and(eq(sequenceStep.workspaceId, workspace.id), eq(sequenceStep.sequenceId, id)))
      .orderBy(asc(sequenceStep.position)),
  ]);
  const found = seqs[0];
  if (!found) throw AppError.notFound("Sequence");
  return { ...found, steps };
}

export async function createSequence(scope: Scope, input: SequenceInput): Promise<Sequence> {
  checkSteps(input.steps);
  await checkRefs(scope, input);
  const { ctx, workspace } = scope;
  const now = ctx.now();
  const id = newId("seq", now);
  const { steps, ...fields } = input;
  const { db } = ctx.database;
  await db.batch([
    db.insert(sequence).values({ ...fields, id, workspaceId: workspace.id, createdAt: now, updatedAt: now }),
    db.insert(sequenceStep).values(stepRows(workspace.id, id, steps, now)),
  ]);
  return getSequence(scope, id);
}

/**
 * Updates a sequence; `steps`, when given, replaces all steps. Enrolled leads continue at the position
 * they reached, now reading the new step at that position (none left = their sequence is done).
 */
export async function updateSequence(scope: Scope, id: string, input: Partial<SequenceInput>): Promise<Sequence> {
  const { ctx, workspace } = scope;
  if (input.steps) checkSteps(input.steps);
  await checkRefs(scope, input);
  const current = await getSequence(scope, id);
  const now = ctx.now();
  const { steps, ...fields } = input;
  const { db } = ctx.database;
  const where = and(eq(sequence.workspaceId, workspace.id), eq(sequence.id, id));
  if (steps) {
    const old = current.steps.map((s) => s.id);
    await db.batch([
      db
        .update(sequence)
        .set({ ...fields, updatedAt: now })
        .where(where),
      ...(old.length ? [db.delete(sequenceStep).where(inArray(sequenceStep.id, old))] : []),
      db.insert(sequenceStep).values(stepRows(workspace.id, id, steps, now)),
    ]);
  } else {
    await db
      .update(sequence)
      .set({ ...fields, updatedAt: now })
      .where(where);
  }
  return getSequence(scope, id);
}

export async function deleteSequence({ ctx, workspace }: Scope, id: string): Promise<void> {
  const row = await ctx.database.db
    .delete(sequence)
    .where(and(eq(sequence.workspaceId, workspace.id), eq(sequence.id, id)))
    .returning({ id: sequence.id })
    .get();
  if (!row) throw AppError.notFound("Sequence");
}

/** Appends a step after the last one. */
export async function addStep(scope: Scope, sequenceId: string, input: StepInput): Promise<Sequence> {
  checkSteps([input]);
  const current = await getSequence(scope, sequenceId);
  const now = scope.ctx.now();
  const [row] = stepRows(scope.workspace.id, sequenceId, [input], now);
  await scope.ctx.database.db.insert(sequenceStep).values({ ...row!, position: current.steps.length + 1 });
  return getSequence(scope, sequenceId);
}

function stepAt(current: Sequence, position: number): SequenceStepRow {
  const step = current.steps.find((s) => s.position === position);
  if (!step) throw AppError.notFound("Step");
  return step;
}

export async function updateStep(
  scope: Scope,
  sequenceId: string,
  position: number,
  input: Partial<StepInput>,
): Promise<Sequence> {
  const step = stepAt(await getSequence(scope, sequenceId), position);
  checkSteps([{ ...step, ...input }]);
  await scope.ctx.database.db
    .update(sequenceStep)
    .set({ ...input, updatedAt: scope.ctx.now() })
    .where(eq(sequenceStep.id, step.id));
  return getSequence(scope, sequenceId);
}

/**
 * Removes a step; the later ones move up one position. Leads enrolled past it keep their position
 * number, so they skip the step that moved into it (a sequence edit never re-sends a step).
 */
export async function deleteStep(scope: Scope, sequenceId: string, position: number): Promise<Sequence> {
  const current = await getSequence(scope, sequenceId);
  const step = stepAt(current, position);
  if (current.steps.length === 1)
    throw AppError.validation({ position: "A sequence keeps at least one step; delete the sequence instead." });
  const { client } = scope.ctx.database;
  // Renumber through negative positions: SQLite checks the (sequence, position) unique index row by row.
  await client.batch(
    [
      { sql: `DELETE FROM sequence_step WHERE id = ?`, args: [step.id] },
      {
        sql: `UPDATE sequence_step SET position = -(position - 1) WHERE sequence_id = ? AND position > ?`,
        args: [sequenceId, position],
      },
      {
        sql: `UPDATE sequence_step SET position = -position WHERE sequence_id = ? AND position < 0`,
        args: [sequenceId],
      },
    ],
    "write",
  );
  return getSequence(scope, sequenceId);
}
