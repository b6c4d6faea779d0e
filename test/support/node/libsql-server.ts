import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { onTestFinished } from "vitest";
import { type LibsqlServer, type LibsqlServerOptions, startLibsqlServer } from "../../../db/server/index";

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

export interface RawResponse<T = any> {
  status: number;
  contentType: string | null;
  body: T;
}

/** POST a JSON body and parse the JSON answer (whatever the status). */
export async function postJson<T = any>(url: string, body: unknown, token?: string): Promise<RawResponse<T>> {
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
