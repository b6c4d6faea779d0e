// The JSON text of a pipeline answer. Nearly every answer is a statement's result and a close, in a shape fixed
// by the protocol; writing those from templates cost less than half of JSON.stringify walking the same objects
// (the answer is then also one flat string for the socket). Anything else is left to JSON.stringify, and the
// text is the same as JSON.stringify's either way: same keys, same order, same numbers.

import type { PipelineRespBody, StmtResult, StreamResult } from "./protocol";

const CLOSE_OK = '{"type":"ok","response":{"type":"close"}}';

/** JSON's number: what String() gives for a finite number (-0 included: both write 0), null otherwise. */
function number(n: number): string {
  return Number.isFinite(n) ? String(n) : "null";
}

function nullableString(s: string | null): string {
  return s === null ? "null" : JSON.stringify(s);
}

function stmtResultJson(r: StmtResult): string {
  // last_insert_rowid is a bigint's decimal text: nothing in it needs escaping.
  const rowid = r.last_insert_rowid === null ? "null" : `"${r.last_insert_rowid}"`;
  return (
    `{"cols":${r.cols.length === 0 ? "[]" : JSON.stringify(r.cols)},` +
    `"rows":${r.rows.length === 0 ? "[]" : JSON.stringify(r.rows)},` +
    `"affected_row_count":${number(r.affected_row_count)},"last_insert_rowid":${rowid},` +
    `"rows_read":${number(r.rows_read)},"rows_written":${number(r.rows_written)},` +
    `"query_duration_ms":${number(r.query_duration_ms)}}`
  );
}

function resultJson(r: StreamResult): string {
  if (r.type === "ok") {
    const response = r.response;
    if (response.type === "execute")
      return `{"type":"ok","response":{"type":"execute","result":${stmtResultJson(response.result)}}}`;
    if (response.type === "close") return CLOSE_OK;
  }
  return JSON.stringify(r);
}

/** Exactly `JSON.stringify(body)`. */
export function pipelineJson(body: PipelineRespBody): string {
  let out = `{"baton":${nullableString(body.baton)},"base_url":${nullableString(body.base_url)},"results":[`;
  for (let i = 0; i < body.results.length; i++) out += (i === 0 ? "" : ",") + resultJson(body.results[i]!);
  return `${out}]}`;
}
