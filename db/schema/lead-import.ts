import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { workspace } from "./workspace";

// mapping: the columns are read, the owner maps them · running: chunks go through captureLead · done: every row has
// an outcome.
export const IMPORT_STATUSES = ["mapping", "running", "done"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_ROW_STATES = ["pending", "imported", "merged", "rejected"] as const;
export type ImportRowState = (typeof IMPORT_ROW_STATES)[number];

/**
 * An uploaded CSV of existing leads. Its rows are stored first and captured in chunks, so an import of many
 * thousand rows fits the Worker's per-invocation limits and resumes where it stopped; the counters are recounted
 * from the rows after each chunk, so a chunk that runs twice never counts twice.
 */
export const leadImport = sqliteTable(
  "import_job",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    header: text("header", { mode: "json" }).$type<string[]>().notNull(),
    // Column index → what it holds (see workers/domain/imports/import-mapping.ts); null until mapped.
    mapping: text("mapping", { mode: "json" }).$type<Record<string, string>>(),
    // Every row goes to this rep (null: the row's owner column, else the rotation).
    ownerRepId: text("owner_rep_id"),
    // Alerts, auto-replies and follow-ups only when the owner asked for them.
    notify: integer("notify", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: IMPORT_STATUSES }).notNull().default("mapping"),
    totalRows: integer("total_rows").notNull(),
    imported: integer("imported").notNull().default(0),
    merged: integer("merged").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    // One chunk runner at a time (the page's polling and the cron job may both try).
    leaseUntil: integer("lease_until"),
    createdBy: text("created_by"),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    ...timestamps,
  },
  (t) => [
    // The console's list of a workspace's imports, newest first.
    index("import_job_workspace_idx").on(t.workspaceId, t.createdAt),
    // Partial: the cron job resumes running imports; finished ones stay out of this b-tree.
    index("import_job_running_idx").on(t.status).where(sql`status = 'running'`),
  ],
);

/** One CSV row as uploaded (cells in column order) and what its capture did. */
export const importRow = sqliteTable(
  "import_row",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => leadImport.id, { onDelete: "cascade" }),
    rowNo: integer("row_no").notNull(),
    workspaceId: text("workspace_id").notNull(),
    cells: text("cells", { mode: "json" }).$type<string[]>().notNull(),
    state: text("state", { enum: IMPORT_ROW_STATES }).notNull().default("pending"),
    leadId: text("lead_id"),
    reason: text("reason"),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.rowNo] }),
    // The next pending rows of a job in order, the counts per outcome, the rejected rows for the report.
    index("import_row_state_idx").on(t.jobId, t.state, t.rowNo),
  ],
);
