// Hrana 2/3 JSON structures (HTTP_V2_SPEC.md, HRANA_3_SPEC.md) and their validation. Requests are
// validated one by one so that a malformed request fails alone, as a `{type:"error"}` result, instead
// of failing the whole pipeline; only the envelope (baton, requests array) fails the HTTP request.

import { HttpError, type ProtoError, RequestError } from "./errors";
import { decodeValue, type SqlValue, type WireValue } from "./values";

export interface Stmt {
  sql?: string;
  sqlId?: number;
  args: SqlValue[];
  namedArgs: { name: string; value: SqlValue }[];
  wantRows: boolean;
}

export type BatchCond =
  | { type: "ok"; step: number }
  | { type: "error"; step: number }
  | { type: "not"; cond: BatchCond }
  | { type: "and"; conds: BatchCond[] }
  | { type: "or"; conds: BatchCond[] }
  | { type: "is_autocommit" };

export interface BatchStep {
  condition?: BatchCond;
  stmt: Stmt;
}

export interface Batch {
  steps: BatchStep[];
}

export type StreamRequest =
  | { type: "close" }
  | { type: "execute"; stmt: Stmt }
  | { type: "batch"; batch: Batch }
  | { type: "sequence"; sql?: string; sqlId?: number }
  | { type: "describe"; sql?: string; sqlId?: number }
  | { type: "store_sql"; sqlId: number; sql: string }
  | { type: "close_sql"; sqlId: number }
  | { type: "get_autocommit" };

export interface Col {
  name: string | null;
  decltype: string | null;
}

export interface StmtResult {
  cols: Col[];
  rows: WireValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
  query_duration_ms: number;
}

export interface BatchResult {
  step_results: (StmtResult | null)[];
  step_errors: (ProtoError | null)[];
}

export interface DescribeResult {
  params: { name: string | null }[];
  cols: { name: string; decltype: string | null }[];
  is_explain: boolean;
  is_readonly: boolean;
}

export type StreamResponse =
  | { type: "close" }
  | { type: "execute"; result: StmtResult }
  | { type: "batch"; result: BatchResult }
  | { type: "sequence" }
  | { type: "describe"; result: DescribeResult }
  | { type: "store_sql" }
  | { type: "close_sql" }
  | { type: "get_autocommit"; is_autocommit: boolean };

export type StreamResult = { type: "ok"; response: StreamResponse } | { type: "error"; error: ProtoError };

export interface PipelineRespBody {
  baton: string | null;
  base_url: string | null;
  results: StreamResult[];
}

export type CursorEntry =
  | { type: "step_begin"; step: number; cols: Col[] }
  | { type: "step_end"; affected_row_count: number; last_insert_rowid: string | null }
  | { type: "step_error"; step: number; error: ProtoError }
  | { type: "row"; row: WireValue[] }
  | { type: "error"; error: ProtoError };

type Json = Record<string, unknown>;

function proto(message: string): RequestError {
  return new RequestError("PROTO_ERROR", message);
}

function object(raw: unknown, where: string): Json {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw proto(`${where} must be an object`);
  return raw as Json;
}

function optString(raw: unknown, where: string): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string") throw proto(`${where} must be a string`);
  return raw;
}

function int32(raw: unknown, where: string): number {
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < -(2 ** 31) || raw >= 2 ** 31)
    throw proto(`${where} must be an int32`);
  return raw;
}

function optInt32(raw: unknown, where: string): number | undefined {
  return raw === undefined || raw === null ? undefined : int32(raw, where);
}

function uint32(raw: unknown, where: string): number {
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0 || raw >= 2 ** 32)
    throw proto(`${where} must be a uint32`);
  return raw;
}

function array(raw: unknown, where: string): unknown[] {
  if (!Array.isArray(raw)) throw proto(`${where} must be an array`);
  return raw;
}

function sqlSource(obj: Json, where: string): { sql?: string; sqlId?: number } {
  const sql = optString(obj.sql, `${where}.sql`);
  const sqlId = optInt32(obj.sql_id, `${where}.sql_id`);
  if ((sql === undefined) === (sqlId === undefined))
    throw proto(`${where}: exactly one of "sql" and "sql_id" must be given`);
  return sql !== undefined ? { sql } : { sqlId: sqlId! };
}

export function decodeStmt(raw: unknown, where: string): Stmt {
  const obj = object(raw, where);
  const source = sqlSource(obj, where);
  const args: SqlValue[] = [];
  if (obj.args !== undefined && obj.args !== null) {
    const list = array(obj.args, `${where}.args`);
    for (let i = 0; i < list.length; i++) args.push(decodeValue(list[i], `${where}.args`, i));
  }
  const namedArgs: Stmt["namedArgs"] = [];
  if (obj.named_args !== undefined && obj.named_args !== null) {
    const list = array(obj.named_args, `${where}.named_args`);
    for (let i = 0; i < list.length; i++) {
      const arg = object(list[i], `${where}.named_args[${i}]`);
      const name = arg.name;
      if (typeof name !== "string") throw proto(`${where}.named_args[${i}].name must be a string`);
      namedArgs.push({ name, value: decodeValue(arg.value, `${where}.named_args`, i, ".value") });
    }
  }
  const wantRows = obj.want_rows;
  if (wantRows !== undefined && wantRows !== null && typeof wantRows !== "boolean")
    throw proto(`${where}.want_rows must be a boolean`);
  return { sql: source.sql, sqlId: source.sqlId, args, namedArgs, wantRows: wantRows !== false };
}

function decodeCond(raw: unknown, where: string): BatchCond {
  const obj = object(raw, where);
  switch (obj.type) {
    case "ok":
    case "error":
      return { type: obj.type, step: uint32(obj.step, `${where}.step`) };
    case "not":
      return { type: "not", cond: decodeCond(obj.cond, `${where}.cond`) };
    case "and":
    case "or":
      return {
        type: obj.type,
        conds: array(obj.conds, `${where}.conds`).map((c, i) => decodeCond(c, `${where}.conds[${i}]`)),
      };
    case "is_autocommit":
      return { type: "is_autocommit" };
    default:
      throw proto(`${where}: unknown condition type ${JSON.stringify(obj.type)}`);
  }
}

// A condition may only look back: SQLite has not run later steps yet when it is evaluated. Checked
// up front so a bad batch runs nothing rather than half of itself.
function checkCondSteps(cond: BatchCond, index: number, where: string): void {
  switch (cond.type) {
    case "ok":
    case "error":
      if (cond.step >= index)
        throw new RequestError(
          "BATCH_COND_BAD_STEP",
          `${where}: condition refers to step ${cond.step}, which does not run before step ${index}`,
        );
      return;
    case "not":
      checkCondSteps(cond.cond, index, where);
      return;
    case "and":
    case "or":
      for (const c of cond.conds) checkCondSteps(c, index, where);
      return;
    case "is_autocommit":
      return;
  }
}

export function decodeBatch(raw: unknown, where: string): Batch {
  const obj = object(raw, where);
  const steps = array(obj.steps, `${where}.steps`).map((s, i): BatchStep => {
    const step = object(s, `${where}.steps[${i}]`);
    const stmt = decodeStmt(step.stmt, `${where}.steps[${i}].stmt`);
    if (step.condition === undefined || step.condition === null) return { stmt };
    const condition = decodeCond(step.condition, `${where}.steps[${i}].condition`);
    checkCondSteps(condition, i, `${where}.steps[${i}].condition`);
    return { condition, stmt };
  });
  return { steps };
}

export function decodeRequest(raw: unknown): StreamRequest {
  const obj = object(raw, "request");
  const type = obj.type;
  switch (type) {
    case "close":
    case "get_autocommit":
      return { type };
    case "execute":
      return { type, stmt: decodeStmt(obj.stmt, "execute.stmt") };
    case "batch":
      return { type, batch: decodeBatch(obj.batch, "batch.batch") };
    case "sequence":
    case "describe":
      return { type, ...sqlSource(obj, type) };
    case "store_sql": {
      const sql = obj.sql;
      if (typeof sql !== "string") throw proto("store_sql.sql must be a string");
      return { type, sqlId: int32(obj.sql_id, "store_sql.sql_id"), sql };
    }
    case "close_sql":
      return { type, sqlId: int32(obj.sql_id, "close_sql.sql_id") };
    default:
      throw proto(`Unknown request type ${JSON.stringify(type)}`);
  }
}

function envelope(raw: unknown): Json {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new HttpError(400, "PROTO_ERROR", "Request body must be a JSON object");
  return raw as Json;
}

function baton(obj: Json): string | null {
  const b = obj.baton;
  if (b === undefined || b === null) return null;
  if (typeof b !== "string") throw new HttpError(400, "PROTO_ERROR", "baton must be a string or null");
  return b;
}

export interface PipelineReqBody {
  baton: string | null;
  requests: unknown[];
}

export function decodePipelineBody(raw: unknown): PipelineReqBody {
  const obj = envelope(raw);
  const requests = obj.requests;
  if (!Array.isArray(requests)) throw new HttpError(400, "PROTO_ERROR", "requests must be an array");
  return { baton: baton(obj), requests };
}

export interface CursorReqBody {
  baton: string | null;
  batch: unknown;
}

export function decodeCursorBody(raw: unknown): CursorReqBody {
  const obj = envelope(raw);
  return { baton: baton(obj), batch: obj.batch };
}
