import { toCsv } from "../../lib/csv";
import type { Scope } from "../context";
import { getImport } from "./import-jobs";

// Excel reads a CSV as the local code page unless it starts with a BOM; names in any script must survive.
const BOM = "\uFEFF";

/** The rows an import rejected, as uploaded plus the reason, to fix in a spreadsheet and upload again. */
export async function rejectedRowsCsv(scope: Scope, id: string): Promise<{ fileName: string; csv: string }> {
  const job = await getImport(scope, id);
  const rs = await scope.ctx.database.client.execute({
    sql: `SELECT row_no, cells, reason FROM import_row WHERE job_id = ? AND workspace_id = ? AND state = 'rejected'
          ORDER BY row_no`,
    args: [job.id, scope.workspace.id],
  });
  const rows = rs.rows.map((r) => {
    const cells = JSON.parse(String(r.cells)) as string[];
    return [Number(r.row_no), ...job.header.map((_, i) => cells[i] ?? ""), String(r.reason ?? "")];
  });
  const base = job.fileName.replace(/\.csv$/i, "").replace(/[^\w.-]+/g, "_") || "import";
  return { fileName: `${base}-rejected.csv`, csv: BOM + toCsv(["row", ...job.header, "reason"], rows) };
}

/** The first rejected rows and why, for the report page. */
export async function rejectedRows({ ctx, workspace }: Scope, id: string, limit: number) {
  const rs = await ctx.database.client.execute({
    sql: `SELECT row_no, reason FROM import_row WHERE job_id = ? AND workspace_id = ? AND state = 'rejected'
          ORDER BY row_no LIMIT ?`,
    args: [id, workspace.id, limit],
  });
  return rs.rows.map((r) => ({ rowNo: Number(r.row_no), reason: String(r.reason ?? "") }));
}
