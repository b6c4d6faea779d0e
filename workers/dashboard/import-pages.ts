import { html } from "hono/html";
import type { ImportJob } from "../domain/imports/import-jobs";
import { fieldKey, IMPORT_TARGETS, type RowCheck, TARGET_LABELS } from "../domain/imports/import-mapping";
import { errorFor, invalidAttrs, type PageErrors } from "./field-errors";
import { fmtTime } from "./layout";

const STATUS_WORDS: Record<ImportJob["status"], string> = {
  mapping: "waiting for its mapping",
  running: "importing",
  done: "done",
};
const done = (j: ImportJob) => j.imported + j.merged + j.rejected;

/** Upload a CSV, and the workspace's recent imports. */
export function importStartBody(jobs: ImportJob[], errors: PageErrors = {}) {
  return html`
<form method="post" action="/app/import" enctype="multipart/form-data" class="card" novalidate>
  <h2>Import leads from a CSV file</h2>
  <p class="muted">The first line names the columns. Next you say what each column holds and see the first rows
  checked; then every row becomes a lead the way a form lead does: the same phone or email joins the lead you
  already have, and owners come from your routing or from a rep you name.</p>
  <p><label for="import-file">CSV file</label>
  <input id="import-file" name="file" type="file" accept=".csv,text/csv" ${invalidAttrs(errors, "file")}>
  ${errorFor(errors, "file")}</p>
  <button type="submit">Upload</button>
</form>
${
  jobs.length === 0
    ? ""
    : html`<table data-table="imports">
  <thead><tr><th>File</th><th>Uploaded</th><th>Status</th><th>Rows</th><th>Imported</th><th>Merged</th>
    <th>Rejected</th></tr></thead>
  <tbody>${jobs.map(
    (j) => html`<tr><td><a href="/app/import/${j.id}">${j.fileName}</a></td><td>${fmtTime(j.createdAt)}</td>
    <td>${STATUS_WORDS[j.status]}</td><td>${j.totalRows}</td><td>${j.imported}</td><td>${j.merged}</td>
    <td>${j.rejected}</td></tr>`,
  )}</tbody></table>`
}`;
}

export interface MappingView {
  job: ImportJob;
  reps: { id: string; name: string }[];
  preview: { rowNo: number; cells: string[]; check: RowCheck }[];
  errors?: PageErrors;
}

/** Map each column, choose the owner and whether to announce, and see the first rows as they will be read. */
export function importMappingBody({ job, reps, preview, errors = {} }: MappingView) {
  const sample = (i: number) => preview.find((p) => (p.cells[i] ?? "").trim() !== "")?.cells[i] ?? "";
  const ok = preview.filter((p) => p.check.ok).length;
  return html`
${errors.form ? html`<p class="card err" role="alert">${errors.form}</p>` : ""}
<form method="post" action="/app/import/${job.id}" class="card" novalidate>
  <h2>${job.fileName}: ${job.totalRows} rows</h2>
  <p id="columns-error" class="err" data-error-for="columns" ${errors.columns ? "" : "hidden"}>
    ${errors.columns ?? ""}</p>
  <table data-table="mapping"><thead><tr><th>Column</th><th>First value</th><th>Holds</th></tr></thead><tbody>
  ${job.header.map((h, i) => {
    const name = `col.${i}`;
    return html`<tr><td><label for="${name}">${h || `Column ${i + 1}`}</label></td><td class="muted">${sample(i)}</td>
    <td><select id="${name}" name="${name}" ${invalidAttrs(errors, name)}>${IMPORT_TARGETS.map(
      (t) =>
        html`<option value="${t}" ${job.columns[i] === t ? "selected" : ""}>${
          t === "field" ? `${TARGET_LABELS.field} “${fieldKey(h, i)}”` : TARGET_LABELS[t]
        }</option>`,
    )}</select>${errorFor(errors, name)}</td></tr>`;
  })}
  </tbody></table>
  <p><label for="import-owner">Owner of the imported leads</label>
  <select id="import-owner" name="owner" ${invalidAttrs(errors, "owner")}>
    <option value="rotation" ${job.ownerRepId ? "" : "selected"}>
      Routing: the rotation (or the owner column, when mapped)</option>
    ${reps.map((r) => html`<option value="${r.id}" ${job.ownerRepId === r.id ? "selected" : ""}>${r.name}</option>`)}
  </select>${errorFor(errors, "owner")}</p>
  <p><label><input type="checkbox" name="notify" value="on" ${job.notify ? "checked" : ""}>
  Notify: alert the owners and send auto-replies and follow-ups, as for a new lead</label>
  <span class="muted">Off by default: these leads are not new to you or to them.</span></p>
  <h3>First rows</h3>
  <p class="muted" data-preview-summary>${ok} of the first ${preview.length} rows can be imported as mapped.</p>
  <div style="overflow-x:auto"><table data-table="preview"><thead><tr><th>Row</th>${job.header.map(
    (h, i) => html`<th>${h}<br><span class="muted">${TARGET_LABELS[job.columns[i] ?? "ignore"]}</span></th>`,
  )}<th>Check</th></tr></thead><tbody>
  ${preview.map(
    (p) =>
      html`<tr data-row="${p.rowNo}" data-ok="${p.check.ok ? "yes" : "no"}"><td>${p.rowNo}</td>${job.header.map(
        (_, i) => html`<td>${p.cells[i] ?? ""}</td>`,
      )}<td>${p.check.ok ? "OK" : html`<span class="err">${p.check.reason}</span>`}</td></tr>`,
  )}
  </tbody></table></div>
  <p><button type="submit" name="intent" value="preview">Check again with this mapping</button>
  <button type="submit" name="intent" value="start">Import ${job.totalRows} rows</button></p>
</form>`;
}

/** Progress while it runs (the page's script keeps it going), the report when done. */
export function importProgressBody(job: ImportJob, rejected: { rowNo: number; reason: string }[]) {
  const running = job.status === "running";
  return html`
<section class="card" data-import="${job.id}" data-status="${job.status}" ${running ? html`data-import-running` : ""}>
  <h2>${job.fileName}</h2>
  <p role="status" data-progress-text>${
    running ? `Importing: ${done(job)} of ${job.totalRows} rows.` : `Done: ${job.totalRows} rows.`
  }</p>
  <progress max="${job.totalRows}" value="${done(job)}" style="width:100%" aria-label="Rows done"></progress>
  <table data-table="import-counts"><tbody>
    <tr><th>Imported (new leads)</th><td data-count="imported">${job.imported}</td></tr>
    <tr><th>Merged into a lead you had (same phone or email)</th><td data-count="merged">${job.merged}</td></tr>
    <tr><th>Rejected</th><td data-count="rejected">${job.rejected}</td></tr>
  </tbody></table>
  ${
    running
      ? html`<form method="post" action="/app/import/${job.id}/run"><button type="submit">Continue</button>
  <span class="muted">The import carries on in the background; this page updates itself.</span></form>`
      : ""
  }
</section>
${
  job.rejected > 0
    ? html`<section class="card" data-section="rejected"><h2>Rejected rows</h2>
  <p><a href="/app/import/${job.id}/rejected.csv" download>Download the rejected rows (CSV, with the reason)</a>:
  fix them in a spreadsheet and import that file again.</p>
  <table><thead><tr><th>Row</th><th>Why</th></tr></thead><tbody>
  ${rejected.map((r) => html`<tr data-rejected-row="${r.rowNo}"><td>${r.rowNo}</td><td>${r.reason}</td></tr>`)}
  </tbody></table>${job.rejected > rejected.length ? html`<p class="muted">The file has them all.</p>` : ""}</section>`
    : ""
}
<p><a href="/app/leads?source=import">See the imported leads</a> · <a href="/app/import">Import another file</a></p>
<script src="/app/assets/import.js"></script>`;
}

// Served as /app/assets/import.js (the CSP forbids inline script): while an import runs, each request captures
// one chunk and answers the counts; the page reloads into the report at the end. Closing the tab loses nothing:
// the cron job carries on, and coming back resumes from the rows still pending.
export const IMPORT_JS = `(function(){var s=document.querySelector("[data-import-running]");if(!s)return;
var id=s.getAttribute("data-import"),fails=0;
function set(k,v){var e=s.querySelector('[data-count="'+k+'"]');if(e)e.textContent=v;}
function step(){fetch("/app/import/"+id+"/run",
{method:"POST",headers:{accept:"application/json"},credentials:"same-origin"})
.then(function(r){if(!r.ok)throw new Error(r.status);return r.json();}).then(function(j){fails=0;
set("imported",j.imported);set("merged",j.merged);set("rejected",j.rejected);var n=j.imported+j.merged+j.rejected;
s.querySelector("progress").value=n;
s.querySelector("[data-progress-text]").textContent="Importing: "+n+" of "+j.totalRows+" rows.";
if(j.status==="done")location.reload();else setTimeout(step,j.ran>0?0:2000);})
.catch(function(){fails++;setTimeout(step,Math.min(30000,1000*Math.pow(2,fails)));});}
step();})();`;
