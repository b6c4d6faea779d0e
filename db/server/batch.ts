// Batches: steps run in order, each guarded by an optional condition over the outcome of earlier
// steps (HRANA_3_SPEC.md "Batches"). A failing step is recorded, never thrown, so later steps (and
// their conditions, e.g. the ROLLBACK step @libsql/client appends) still get their turn.

import { type ProtoError, toProtoError } from "./errors";
import { type ExecEnv, executeStmt } from "./execute";
import type { Batch, BatchCond, BatchResult, StmtResult } from "./protocol";
import { timeSlicer } from "./yield-slice";

export type StepOutcome = { ok: true; result: StmtResult } | { ok: false; error: ProtoError };

export interface BatchEnv extends ExecEnv {
  isAutocommit(): boolean;
}

function evalCond(cond: BatchCond, outcomes: readonly (StepOutcome | null)[], env: BatchEnv): boolean {
  switch (cond.type) {
    case "ok":
      return outcomes[cond.step]?.ok === true;
    case "error":
      return outcomes[cond.step]?.ok === false;
    case "not":
      return !evalCond(cond.cond, outcomes, env);
    case "and":
      return cond.conds.every((c) => evalCond(c, outcomes, env));
    case "or":
      return cond.conds.some((c) => evalCond(c, outcomes, env));
    case "is_autocommit":
      return env.isAutocommit();
  }
}

/** Runs the batch; `onStep` sees each executed step as it finishes (the cursor streams from it). */
export async function runBatch(
  env: BatchEnv,
  batch: Batch,
  onStep?: (step: number, outcome: StepOutcome) => void,
): Promise<BatchResult> {
  const outcomes: (StepOutcome | null)[] = [];
  const pause = timeSlicer();
  for (const [i, step] of batch.steps.entries()) {
    if (step.condition !== undefined && !evalCond(step.condition, outcomes, env)) {
      outcomes.push(null);
      continue;
    }
    let outcome: StepOutcome;
    try {
      outcome = { ok: true, result: await executeStmt(env, step.stmt) };
    } catch (e) {
      outcome = { ok: false, error: toProtoError(e) };
    }
    outcomes.push(outcome);
    onStep?.(i, outcome);
    await pause(!env.isAutocommit());
  }
  return {
    step_results: outcomes.map((o) => (o?.ok ? o.result : null)),
    step_errors: outcomes.map((o) => (o && !o.ok ? o.error : null)),
  };
}
