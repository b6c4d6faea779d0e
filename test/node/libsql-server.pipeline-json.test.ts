// The server writes pipeline answers from templates instead of JSON.stringify: the text must be the same.

import { describe, expect, it } from "vitest";
import { pipelineJson } from "../../db/server/pipeline-json";
import type { PipelineRespBody, StmtResult } from "../../db/server/protocol";

function stmtResult(over: Partial<StmtResult> = {}): StmtResult {
  return {
    cols: [],
    rows: [],
    affected_row_count: 1,
    last_insert_rowid: "42",
    rows_read: 0,
    rows_written: 1,
    query_duration_ms: 0.023958999999,
    ...over,
  };
}

const bodies: PipelineRespBody[] = [
  {
    baton: null,
    base_url: null,
    results: [
      { type: "ok", response: { type: "execute", result: stmtResult() } },
      { type: "ok", response: { type: "close" } },
    ],
  },
  {
    baton: 'a"b\\c\u2028',
    base_url: "http://x/\n",
    results: [
      {
        type: "ok",
        response: {
          type: "execute",
          result: stmtResult({
            cols: [
              { name: 'we"ird\u0000', decltype: null },
              { name: null, decltype: "TEXT" },
            ],
            rows: [
              [
                { type: "text", value: "é\ud800\n" },
                { type: "integer", value: "-9223372036854775808" },
                { type: "float", value: 1e21 },
                { type: "null" },
                { type: "blob", base64: "AAE=" },
              ],
            ],
            affected_row_count: 0,
            last_insert_rowid: null,
            rows_read: 1,
            rows_written: 0,
            query_duration_ms: -0,
          }),
        },
      },
      { type: "ok", response: { type: "execute", result: stmtResult({ query_duration_ms: Number.NaN }) } },
      { type: "ok", response: { type: "execute", result: stmtResult({ query_duration_ms: 5e-7 }) } },
      { type: "error", error: { message: "Bad request", code: "PROTO_ERROR" } },
      // The extra field toProtoError adds for humans.
      {
        type: "error",
        error: Object.assign(
          { message: "SQLite error: x", code: "SQLITE_CONSTRAINT" },
          { extended_code: "SQLITE_CONSTRAINT_UNIQUE" },
        ),
      },
      {
        type: "ok",
        response: {
          type: "batch",
          result: { step_results: [stmtResult(), null], step_errors: [null, { message: "m", code: "c" }] },
        },
      },
      { type: "ok", response: { type: "get_autocommit", is_autocommit: false } },
      { type: "ok", response: { type: "close" } },
    ],
  },
  { baton: "b", base_url: null, results: [] },
];

describe("pipeline answers", () => {
  it("are written exactly as JSON.stringify writes them", () => {
    for (const body of bodies) expect(pipelineJson(body)).toBe(JSON.stringify(body));
  });
});
