import type { Context } from "hono";
import { formValues, judge, type PageErrors } from "../dashboard/field-errors";
import { IMPORT_JS, importMappingBody, importProgressBody, importStartBody } from "../dashboard/import-pages";
import { page } from "../dashboard/layout";
import type { Scope } from "../domain/context";
import {
  createImport,
  firstRows,
  getImport,
  type ImportJob,
  listImports,
  MAX_IMPORT_BYTES,
  saveImportSettings,
} from "../domain/imports/import-jobs";
import { checkRow, ImportSettings } from "../domain/imports/import-mapping";
import { rejectedRows, rejectedRowsCsv } from "../domain/imports/import-report";
import { runImportChunk } from "../domain/imports/run-import-chunk";
import { listReps } from "../domain/team/reps";
import { toAppError } from "../errors";
import { actorOf } from "../http/actor";
import type { App, AppEnv } from "../http/app";
import { scope } from "../http/workspace-scope";

const PREVIEW_ROWS = 10;
const REJECTED_SHOWN = 50;

async function mappingPage(c: Context<AppEnv>, s: Scope, job: ImportJob, errors?: PageErrors, status: 200 | 422 = 200) {
  const [rows, reps] = await Promise.all([firstRows(s, job.id, PREVIEW_ROWS), listReps(s)]);
  const settings = ImportSettings.safeParse({ columns: job.columns, owner: job.ownerRepId ?? "rotation" });
  const preview = rows.map((r) => ({
    ...r,
    check: settings.success
      ? checkRow(r.cells, job.header, settings.data, reps, s.workspace.defaultCountry)
      : ({ ok: false, reason: settings.error.issues[0]?.message ?? "Fix the mapping." } as const),
  }));
  const active = reps.filter((r) => r.active);
  return c.html(
    page(
      "Import leads",
      "/app/import",
      importMappingBody({ job, reps: active, preview, ...(errors ? { errors } : {}) }),
    ),
    status,
  );
}

async function jobPage(c: Context<AppEnv>, s: Scope, job: ImportJob) {
  if (job.status === "mapping") return mappingPage(c, s, job);
  const rejected = job.rejected > 0 ? await rejectedRows(s, job.id, REJECTED_SHOWN) : [];
  return c.html(page("Import leads", "/app/import", importProgressBody(job, rejected)));
}

/**
 * CSV import in the console: upload → map and preview → run in chunks (the page's script, else the cron job) →
 * report with the rejected rows to download. Every row goes through `captureLead`.
 */
export function registerImportPages(app: App) {
  app.get("/app/assets/import.js", (c) =>
    c.body(IMPORT_JS, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "private, max-age=300",
    }),
  );

  app.get("/app/import", async (c) =>
    c.html(page("Import leads", "/app/import", importStartBody(await listImports(scope(c))))),
  );

  app.post("/app/import", async (c) => {
    const s = scope(c);
    const refuse = async (message: string, status: 413 | 422 = 422) =>
      c.html(page("Import leads", "/app/import", importStartBody(await listImports(s), { file: message })), status);
    // Checked before the body is read: multipart parsing holds the whole upload in memory.
    if (Number(c.req.header("content-length") ?? "0") > MAX_IMPORT_BYTES + 64 * 1024)
      return refuse(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it.`, 413);
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) return refuse("Choose a CSV file.");
    if (file.size > MAX_IMPORT_BYTES)
      return refuse(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it.`, 413);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(await file.arrayBuffer());
    } catch {
      return refuse("The file is not UTF-8 text: in your spreadsheet, save it as “CSV UTF-8”.");
    }
    try {
      const job = await createImport(s, { fileName: file.name, text, actor: actorOf(c) });
      return c.redirect(`/app/import/${job.id}`, 303);
    } catch (err) {
      const appErr = toAppError(err);
      if (appErr.status < 500) return refuse(appErr.fields?.file ?? appErr.message);
      throw err;
    }
  });

  app.get("/app/import/:id", async (c) => {
    const s = scope(c);
    return jobPage(c, s, await getImport(s, c.req.param("id")));
  });

  app.post("/app/import/:id", async (c) => {
    const s = scope(c);
    const id = c.req.param("id");
    const values = await formValues(c.req);
    const job = await getImport(s, id);
    if (job.status !== "mapping") return c.redirect(`/app/import/${id}`, 303);
    const input = {
      columns: job.header.map((_, i) => values[`col.${i}`] ?? ""),
      owner: values.owner ?? "rotation",
      notify: values.notify === "on",
    };
    const start = values.intent === "start";
    const result = await judge(
      ImportSettings,
      input,
      (path) => (/^columns\.\d+$/.test(path) ? `col.${path.split(".")[1]}` : (path.split(".")[0] ?? "form")),
      (data) => saveImportSettings(s, id, data, { start }),
    );
    if ("errors" in result) {
      // The page shows what the owner chose, with the messages beside it; nothing was saved.
      const chosen = { ...job, columns: input.columns as ImportJob["columns"], notify: input.notify };
      return mappingPage(c, s, chosen, result.errors, 422);
    }
    if (start) return c.redirect(`/app/import/${id}`, 303);
    return mappingPage(c, s, result.saved);
  });

  // One chunk per call: the page's script calls it again and again; without script, the Continue button.
  app.post("/app/import/:id/run", async (c) => {
    const s = scope(c);
    const { job, ran } = await runImportChunk(s, c.req.param("id"));
    if (c.req.header("accept")?.includes("application/json"))
      return c.json({
        status: job.status,
        totalRows: job.totalRows,
        imported: job.imported,
        merged: job.merged,
        rejected: job.rejected,
        ran,
      });
    return c.redirect(`/app/import/${job.id}`, 303);
  });

  app.get("/app/import/:id/rejected.csv", async (c) => {
    const { fileName, csv } = await rejectedRowsCsv(scope(c), c.req.param("id"));
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
    });
  });
}
