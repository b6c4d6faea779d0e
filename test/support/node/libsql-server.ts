import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { onTestFinished } from "vitest";
import type { ProtoError } from "../../../db/server/errors";
import { type LibsqlServer, type LibsqlServerOptions, startLibsqlServer } from "../../../db/server/index";
import type { BatchResult, DescribeResult, StmtResult, StreamResponse } from "../../../db/server/protocol";

export interface TestServer extends LibsqlServer {
  file: string;
  logs: string[];
}

/** A server on an ephemeral port over a fresh temp file, closed (and the file removed) after the test. */
export async function startTestServer(opts: Partial<LibsqlServerOptions> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-libsql-"));
  const file = join(dir, "test.db");
  const logs: string[] = [];
  const server = await startLibsqlServer({ file, port: 0, log: (line) => logs.push(line), ...opts });
  onTestFinished(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return Object.assign(server, { file, logs });
}

/** An @libsql/client for `url`, closed after the test. */
export function testClient(url: string): Client {
  const c = createClient({ url });
  onTestFinished(() => c.close());
  return c;
}

/**
 * One pipeline result as tests read it: the fields of every kind at once (`PipelineRespBody` in the server is the
 * exact union). Tests assert `type` and read the fields of that kind; a field of another kind reads `undefined`
 * at run time and fails the assertion, so the flat view costs no check.
 */
export interface ResultJson {
  type: "ok" | "error";
  error: ProtoError & { extended_code?: string };
  response: {
    type: StreamResponse["type"];
    result: StmtResult & BatchResult & DescribeResult;
    is_autocommit: boolean;
  };
}

/** Twelve of `T` and any more: what a test indexes or destructures needs no non-null assertion per element. */
type Indexed<T> = [T, T, T, T, T, T, T, T, T, T, T, T] & T[];

/**
 * A pipeline answer as tests read it.
 The results are a tuple so a test indexes or destructures the ones it sent
 * without asserting each exists (a missing one is `undefined` at run time and fails the test's expectation).
 */
export interface PipelineJson {
  baton: string | null;
  base_url: string | null;
  results: Indexed<ResultJson>;
}

export interface RawResponse<T = unknown> {
  status: number;
  contentType: string | null;
  body: T;
}

/** POST a JSON body and parse the JSON answer (whatever the status). */
export async function postJson<T = unknown>(url: string, body: unknown, token?: string): Promise<RawResponse<T>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    body: text === "" ? undefined : JSON.parse(text),
  };
}

export const int = (value: bigint | number | string) => ({ type: "integer", value: String(value) });
export const text = (value: string) => ({ type: "text", value });
export const float = (value: number) => ({ type: "float", value });

export function exec(sql: string, args: unknown[] = [], extra: Record<string, unknown> = {}) {
  return { type: "execute", stmt: { sql, args, ...extra } };
}

export const close = { type: "close" };
