import type { InStatement } from "@libsql/client/web";
import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import { importRow, leadImport, rep } from "../../../db/schema";
import { AppError } from "../../errors";
import { captureLead } from "../capture/capture-lead";
import type { Scope } from "../context";
import { getImport, type ImportJob, jobFromRow } from "./import-jobs";
import { checkRow, ImportSettings } from "./import-mapping";

/**
 * Rows per invocation. Each capture costs about three subrequests (routing read, rotation, write batch), so a
 * chunk stays near 600, under the 1,000 of the strictest paid plan; its CPU is a few ms per row, far under 30 s.
 */
export const IMPORT_CHUNK_ROWS = 200;
// An import that notifies also sends each lead's alert from this invocation: one more subrequest per row.
const NOTIFY_CHUNK_ROWS = 150;
// Captures in flight at once: under the 6 simultaneous connections a Worker may open.
const IN_FLIGHT = 4;
// Long enough for a chunk over a slow database; a runner that died frees the job after it.
const LEASE_MS = 120_000;

type Outcome = {
  rowNo: number;
  state: "imported" | "merged" | "rejected";
  leadId: string | null;
  reason: string | null;
};

/** Every row's capture carries this key: a chunk that runs again records nothing twice. */
export const importRowKey = (jobId: string, rowNo: number) => `import:${jobId}:${rowNo}`;

/**
 * Captures the next pending rows of a running import through `captureLead` and records each row's outcome, then
 * recounts the job from its rows. One runner at a time holds the job's lease; if another holds it, nothing runs.
 * A runner that fails midway leaves its rows pending: the next run captures them again, and the dedup key of each
 * row answers with what the first attempt recorded, so every row counts once whatever happened before.
 */
export async function runImportChunk(
  { ctx, workspace }: Scope,
  jobId: string,
  opts: { rows?: number } = {},
): Promise<{ job: ImportJob; ran: number }> {
  const now = ctx.now();
  const { client, db } = ctx.database;
  const [leased, pending, reps] = await db.batch([
    db
      .update(leadImport)
      .set({ leaseUntil: now + LEASE_MS })
      .where(
        and(
          eq(leadImport.id, jobId),
          eq(leadImport.workspaceId, workspace.id),
          eq(leadImport.status, "running"),
          or(isNull(leadImport.leaseUntil), lt(leadImport.leaseUntil, now)),
        ),
      )
      .returning(),
    db
      .select({ rowNo: importRow.rowNo, cells: importRow.cells })
      .from(importRow)
      .where(and(eq(importRow.jobId, jobId), eq(importRow.workspaceId, workspace.id), eq(importRow.state, "pending")))
      .orderBy(asc(importRow.rowNo))
      .limit(opts.rows ?? IMPORT_CHUNK_ROWS),
    db
      .select({ id: rep.id, name: rep.name, email: rep.email, active: rep.active })
      .from(rep)
      .where(eq(rep.workspaceId, workspace.id)),
  ]);
  // Another runner holds the lease, or the import is not running: nothing to do here.
  if (!leased[0]) return { job: await getImport({ ctx, workspace }, jobId), ran: 0 };
  const job = jobFromRow(leased[0]);
  const rows = job.notify ? pending.slice(0, NOTIFY_CHUNK_ROWS) : pending;
  const settings = ImportSettings.parse({
    columns: job.columns,
    owner: job.ownerRepId ?? "rotation",
    notify: job.notify,
  });

  const outcomes: Outcome[] = [];
  let failure: unknown = null;
  const captureRow = async (row: { rowNo: number; cells: string[] }): Promise<Outcome> => {
    const check = checkRow(row.cells, job.header, settings, reps, workspace.defaultCountry);
    if (!check.ok) return { rowNo: row.rowNo, state: "rejected", leadId: null, reason: check.reason };
    try {
      const result = await captureLead(
        { ctx, workspace, actor: job.createdBy, quiet: !job.notify, ownerRepId: check.ownerRepId },
        { ...check.input, dedupKey: importRowKey(job.id, row.rowNo) },
      );
      if (!result.recorded) return replayed(row.rowNo, result.lead.id);
      return { rowNo: row.rowNo, state: result.created ? "imported" : "merged", leadId: result.lead.id, reason: null };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        const reason = err.fields
          ? Object.entries(err.fields)
              .map(([k, v]) => `${k}: ${v}`)
              .join(" ")
          : err.message;
        return { rowNo: row.rowNo, state: "rejected", leadId: null, reason };
      }
      throw err;
    }
  };
  // A row captured by an earlier run whose outcome was never written: its `created` or `re-inquiry` event says.
  const replayed = async (rowNo: number, leadId: string): Promise<Outcome> => {
    const rs = await client.execute({
      sql: `SELECT type FROM lead_event WHERE workspace_id = ? AND dedup_key = ?`,
      args: [workspace.id, importRowKey(job.id, rowNo)],
    });
    return { rowNo, state: rs.rows[0]?.type === "created" ? "imported" : "merged", leadId, reason: null };
  };

  // Rows go in order through a few lanes; a storage failure stops the chunk, keeping what was done.
  let next = 0;
  const lane = async () => {
    while (failure === null && next < rows.length) {
      const row = rows[next++]!;
      try {
        outcomes.push(await captureRow(row));
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));

  const statements: InStatement[] = outcomes.map((o) => ({
    sql: `UPDATE import_row SET state = :state, lead_id = :lead, reason = :reason
          WHERE job_id = :id AND row_no = :rowNo AND state = 'pending'`,
    args: { state: o.state, lead: o.leadId, reason: o.reason, id: job.id, rowNo: o.rowNo },
  }));
  const count = (state: string) => `(SELECT count(*) FROM import_row WHERE job_id = :id AND state = '${state}')`;
  statements.push({
    sql: `UPDATE import_job SET imported = ${count("imported")}, merged = ${count("merged")},
            rejected = ${count("rejected")}, lease_until = NULL, updated_at = :now,
            status = CASE WHEN ${count("pending")} = 0 THEN 'done' ELSE status END,
            finished_at = CASE WHEN ${count("pending")} = 0 THEN :now ELSE finished_at END
          WHERE id = :id AND workspace_id = :ws`,
    args: { id: job.id, ws: workspace.id, now: ctx.now() },
  });
  await client.batch(statements, "write");
  if (failure !== null) throw failure;
  return { job: await getImport({ ctx, workspace }, jobId), ran: outcomes.length };
}
