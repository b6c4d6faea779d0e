// The two stream endpoints: /v2|v3/pipeline (a list of requests, one result each) and /v3/cursor
// (one batch whose results are streamed as NDJSON entries).

import { runBatch } from "./batch";
import { RequestError, toProtoError } from "./errors";
import { describeSql, executeSequence, executeStmt, resolveSql } from "./execute";
import {
  type CursorEntry,
  type CursorReqBody,
  decodeBatch,
  decodeRequest,
  type PipelineReqBody,
  type PipelineRespBody,
  type StreamResponse,
  type StreamResult,
} from "./protocol";
import type { Stream, StreamRegistry } from "./stream";

// sqld caps stored SQL texts per stream as well; without a cap a client could grow server memory forever.
const MAX_STORED_SQLS = 1000;

/** Not async: the common requests (execute, close) answer in the same turn (see executeStmt). */
function handleRequest(stream: Stream, raw: unknown): StreamResponse | Promise<StreamResponse> {
  const req = decodeRequest(raw);
  if (stream.closed) throw new RequestError("STREAM_CLOSED", "The stream has already been closed");
  switch (req.type) {
    case "close":
      stream.close();
      return { type: "close" };
    case "execute": {
      const result = executeStmt(stream, req.stmt);
      return result instanceof Promise
        ? result.then((r) => ({ type: "execute", result: r }))
        : { type: "execute", result };
    }
    case "batch":
      return runBatch(stream, req.batch).then((result) => ({ type: "batch", result }));
    case "sequence":
      return executeSequence(stream, resolveSql(stream, req.sql, req.sqlId)).then(() => ({ type: "sequence" }));
    case "describe":
      return describeSql(stream, resolveSql(stream, req.sql, req.sqlId)).then((result) => ({
        type: "describe",
        result,
      }));
    case "store_sql":
      if (stream.sqls.has(req.sqlId))
        throw new RequestError("SQL_ID_IN_USE", `SQL text id ${req.sqlId} is already in use`);
      if (stream.sqls.size >= MAX_STORED_SQLS)
        throw new RequestError("SQL_STORE_FULL", `A stream can hold at most ${MAX_STORED_SQLS} SQL texts`);
      stream.sqls.set(req.sqlId, req.sql);
      return { type: "store_sql" };
    case "close_sql":
      stream.sqls.delete(req.sqlId);
      return { type: "close_sql" };
    case "get_autocommit":
      return { type: "get_autocommit", is_autocommit: stream.isAutocommit() };
  }
}

/**
 * Not async: when every request of the pipeline answers in this turn (an execute and a close, as a client's
 * single statement sends them), so does the pipeline, without a promise or a microtask per layer.
 */
export function handlePipeline(
  registry: StreamRegistry,
  body: PipelineReqBody,
): PipelineRespBody | Promise<PipelineRespBody> {
  const stream = registry.checkout(body.baton);
  let out: PipelineRespBody | Promise<PipelineRespBody>;
  try {
    out = stream.exclusive(() => runRequests(registry, stream, body.requests, [], 0));
  } catch (e) {
    registry.discard(stream);
    throw e;
  }
  if (!(out instanceof Promise)) return out;
  registry.track(stream);
  return out.catch((e: unknown) => {
    registry.discard(stream);
    throw e;
  });
}

/**
 * Runs `requests` from `from` on, in order, and every one even when an earlier one failed (HTTP_V2_SPEC.md);
 * the first that has to wait turns the rest into a continuation of its promise.
 */
function runRequests(
  registry: StreamRegistry,
  stream: Stream,
  requests: unknown[],
  results: StreamResult[],
  from: number,
): PipelineRespBody | Promise<PipelineRespBody> {
  for (let i = from; i < requests.length; i++) {
    let response: StreamResponse | Promise<StreamResponse>;
    try {
      response = handleRequest(stream, requests[i]);
    } catch (e) {
      results.push({ type: "error", error: toProtoError(e) });
      continue;
    }
    if (response instanceof Promise) {
      return response.then(
        (r) => {
          results.push({ type: "ok", response: r });
          return runRequests(registry, stream, requests, results, i + 1);
        },
        (e: unknown) => {
          results.push({ type: "error", error: toProtoError(e) });
          return runRequests(registry, stream, requests, results, i + 1);
        },
      );
    }
    results.push({ type: "ok", response });
  }
  return { baton: registry.checkin(stream), base_url: null, results };
}

/**
 * Streams the batch as NDJSON: first the CursorRespBody (with the next baton), then entries. Execution
 * is synchronous per statement, so each step's rows are written as soon as the step finishes.
 */
export async function handleCursor(
  registry: StreamRegistry,
  body: CursorReqBody,
  writeLine: (json: string) => void,
): Promise<void> {
  const stream = registry.checkout(body.baton);
  registry.track(stream);
  try {
    await stream.exclusive(async () => {
      writeLine(JSON.stringify({ baton: registry.checkin(stream), base_url: null }));
      const emit = (entry: CursorEntry) => writeLine(JSON.stringify(entry));
      let batch: ReturnType<typeof decodeBatch>;
      try {
        batch = decodeBatch(body.batch, "batch");
      } catch (e) {
        emit({ type: "error", error: toProtoError(e) });
        return;
      }
      await runBatch(stream, batch, (step, outcome) => {
        if (!outcome.ok) {
          emit({ type: "step_error", step, error: outcome.error });
          return;
        }
        const { cols, rows, affected_row_count, last_insert_rowid } = outcome.result;
        emit({ type: "step_begin", step, cols });
        for (const row of rows) emit({ type: "row", row });
        emit({ type: "step_end", affected_row_count, last_insert_rowid });
      });
    });
  } catch (e) {
    registry.discard(stream);
    throw e;
  }
}
