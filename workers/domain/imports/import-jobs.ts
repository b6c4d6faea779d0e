import type { InStatement } from "@libsql/client/web";
import { and, desc, eq } from "drizzle-orm";
import { type ImportStatus, leadImport } from "../../../db/schema";
import { AppError } from "../../errors";
import { parseCsv } from "../../lib/csv-parse";
import { newId } from "../../lib/ids";
import type { Actor, Scope } from "../context";
import { guessTarget, type ImportSettings, type ImportTarget } from "./import-mapping";
import { queueNextChunk } from "./import-queue";

// A 10,000-row export of a CRM is 1–3 MB; the caps keep one upload inside a Worker's memory and one libSQL batch.
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 50_000;
const MAX_COLUMNS = 100;
// Rows per INSERT … SELECT FROM json_each(:rows): one bound parameter per statement, any row count.
const ROWS_PER_STATEMENT = 1_000;

export interface ImportJob {
  id: string;
  fileName: string;
  header: string[];
  columns: ImportTarget[];
  ownerRepId: string | null;
  notify: boolean;
  status: ImportStatus;
  totalRows: number;
  imported: number;
  merged: number;
  rejected: number;
  createdAt: number;
  finishedAt: number | null;
  /** Who uploaded it: the actor its leads' timelines name. */
  createdBy: Actor;
}

type JobRow = typeof leadImport.$inferSelect;

// Stored as `<type>:<id>` (a person or an API key); an unknown uploader reads as the system.
function actorFrom(stored: string | null): Actor {
  const [type, id] = (stored ?? "").split(":");
  return type === "person" || type === "api" ? { type, id: id ?? null } : { type: "system" };
}

export function jobFromRow(r: JobRow): ImportJob {
  return {
    id: r.id,
    fileName: r.fileName,
    header: r.header,
    columns: r.header.map((h, i) => (r.mapping?.[String(i)] as ImportTarget | undefined) ?? guessTarget(h)),
    ownerRepId: r.ownerRepId,
    notify: r.notify,
    status: r.status,
    totalRows: r.totalRows,
    imported: r.imported,
    merged: r.merged,
    rejected: r.rejected,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    createdBy: actorFrom(r.createdBy),
  };
}

/**
 * Stores an uploaded CSV: the header and every row, in one atomic batch (all rows or none), before anything is
 * captured, so the import can run in chunks and resume after any failure. Cells are kept as uploaded.
 */
export async function createImport(
  { ctx, workspace }: Scope,
  upload: { fileName: string; text: string; actor: Actor },
): Promise<ImportJob> {
  const table = parseCsv(upload.text);
  const header = (table[0] ?? []).map((h) => h.trim());
  const rows = table.slice(1);
  if (header.length === 0 || rows.length === 0)
    throw AppError.validation({ file: "The file has no rows under its header line." });
  if (header.length > MAX_COLUMNS) throw AppError.validation({ file: `At most ${MAX_COLUMNS} columns.` });
  if (rows.length > MAX_IMPORT_ROWS)
    throw AppError.validation({ file: `At most ${MAX_IMPORT_ROWS} rows per import; split the file.` });

  const now = ctx.now();
  const id = newId("imp", now);
  const statements: InStatement[] = [
    {
      sql: `INSERT INTO import_job (id, workspace_id, file_name, header, status, total_rows, created_by, created_at,
              updated_at) VALUES (:id, :ws, :file, :header, 'mapping', :total, :by, :now, :now)`,
      args: {
        id,
        ws: workspace.id,
        file: upload.fileName.slice(0, 200) || "upload.csv",
        header: JSON.stringify(header),
        total: rows.length,
        by: upload.actor.id ? `${upload.actor.type}:${upload.actor.id}` : null,
        now,
      },
    },
  ];
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
    const part = rows.slice(at, at + ROWS_PER_STATEMENT).map((r) => r.slice(0, header.length));
    statements.push({
      sql: `INSERT INTO import_row (job_id, row_no, workspace_id, cells)
            SELECT :id, :offset + key + 1, :ws, value FROM json_each(:rows)`,
      args: { id, ws: workspace.id, offset: at, rows: JSON.stringify(part) },
    });
  }
  await ctx.database.client.batch(statements, "write");
  return getImport({ ctx, workspace }, id);
}

export async function getImport({ ctx, workspace }: Scope, id: string): Promise<ImportJob> {
  const row = await ctx.database.db
    .select()
    .from(leadImport)
    .where(and(eq(leadImport.workspaceId, workspace.id), eq(leadImport.id, id)))
    .get();
  if (!row) throw AppError.notFound("Import");
  return jobFromRow(row);
}

export async function listImports({ ctx, workspace }: Scope, limit = 20): Promise<ImportJob[]> {
  const rows = await ctx.database.db
    .select()
    .from(leadImport)
    .where(eq(leadImport.workspaceId, workspace.id))
    .orderBy(desc(leadImport.createdAt))
    .limit(limit)
    .all();
  return rows.map(jobFromRow);
}

/** The first rows of an upload, for the preview. */
export async function firstRows({ ctx, workspace }: Scope, id: string, limit: number) {
  const rs = await ctx.database.client.execute({
    sql: `SELECT row_no, cells FROM import_row WHERE job_id = ? AND workspace_id = ? ORDER BY row_no LIMIT ?`,
    args: [id, workspace.id, limit],
  });
  return rs.rows.map((r) => ({ rowNo: Number(r.row_no), cells: JSON.parse(String(r.cells)) as string[] }));
}

/**
 * Keeps the owner's mapping; `start` also sets the import running (from then on the mapping is fixed: rows
 * already captured were read with it). A named owner must be an active rep of the workspace.
 */
export async function saveImportSettings(
  { ctx, workspace }: Scope,
  id: string,
  settings: ImportSettings,
  opts: { start: boolean },
): Promise<ImportJob> {
  const job = await getImport({ ctx, workspace }, id);
  if (job.status !== "mapping") throw new AppError("CONFLICT", "This import has started; its mapping is fixed.");
  if (settings.columns.length !== job.header.length)
    throw AppError.validation({ columns: "One choice per column of the file." });
  const now = ctx.now();
  const mapping = Object.fromEntries(settings.columns.map((t, i) => [String(i), t]));
  const ownerRepId = settings.owner === "rotation" ? null : settings.owner;
  const rs = await ctx.database.client.execute({
    sql: `UPDATE import_job SET mapping = :mapping, owner_rep_id = :owner, notify = :notify, updated_at = :now,
            status = CASE WHEN :start = 1 THEN 'running' ELSE status END,
            started_at = CASE WHEN :start = 1 THEN :now ELSE started_at END
          WHERE id = :id AND workspace_id = :ws AND status = 'mapping'
            AND (:owner IS NULL
              OR EXISTS (SELECT 1 FROM rep WHERE id = :owner AND workspace_id = :ws AND active = 1))`,
    args: {
      mapping: JSON.stringify(mapping),
      owner: ownerRepId,
      notify: settings.notify ? 1 : 0,
      now,
      start: opts.start ? 1 : 0,
      id,
      ws: workspace.id,
    },
  });
  if (rs.rowsAffected === 0) throw AppError.validation({ owner: "Not an active rep of this workspace." });
  if (opts.start) await queueNextChunk(ctx, id, workspace.id);
  return getImport({ ctx, workspace }, id);
}
