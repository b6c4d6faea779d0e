import { createExecutionContext, env } from "cloudflare:test";
import { type Client, createClient } from "@libsql/client/web";
import { inject } from "vitest";
import type {
  ErrorBody,
  FormAnswerJson,
  FormJson,
  RepJson,
  ResponseJson,
  WorkspaceCreatedJson,
} from "../response-json";
import worker from "./test-entry";

export const libsqlUrl = inject("libsqlUrl");

/** Direct access to the test database, to check what was (not) written. */
export function testDb(): Client {
  return createClient({ url: libsqlUrl, intMode: "number" });
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export type { ErrorBody, ResponseJson };

/** Status, headers, text and — when the body is JSON — the parsed body (else undefined). */
export interface TestResponse<T = ResponseJson> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
}

async function readResult<T>(res: Response): Promise<TestResponse<T>> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json: json as T, text };
}

export async function call<T = ResponseJson>(
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  return readResult<T>(await fetchWorker(path, { method, headers, body }));
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface TestWorkspace {
  id: string;
  key: string;
  form: { id: string; publicKey: string };
  reps: { id: string; name: string }[];
}

/** A fresh workspace (own key, one form, two reps): every test owns its data, so tests never see each other's leads. */
export async function seedWorkspace(
  opts: { defaultCountry?: string; form?: Record<string, unknown>; reps?: string[] } = {},
): Promise<TestWorkspace> {
  const created = await call<WorkspaceCreatedJson>("POST", "/api/v1/workspaces", {
    body: { name: `Acme ${unique()}`, defaultCountry: opts.defaultCountry ?? "US", timezone: "America/New_York" },
  });
  if (created.status !== 201) throw new Error(`seed workspace: ${created.status} ${created.text}`);
  const key: string = created.json.apiKey.key;
  const form = await call<FormJson>("POST", "/api/v1/forms", { key, body: { name: "Contact us", ...opts.form } });
  if (form.status !== 201) throw new Error(`seed form: ${form.status} ${form.text}`);
  const reps = [];
  for (const name of opts.reps ?? ["Ana", "Ben"]) {
    const r = await call<RepJson>("POST", "/api/v1/reps", { key, body: { name } });
    if (r.status !== 201) throw new Error(`seed rep: ${r.status} ${r.text}`);
    reps.push({ id: r.json.id, name });
  }
  return { id: created.json.workspace.id, key, form: { id: form.json.id, publicKey: form.json.publicKey }, reps };
}

/** A US phone in E.164 drawn from 8 million numbers (sends to it are looked up by recipient across the run). */
export const uniquePhone = () => {
  const n = Math.floor(Math.random() * 8_000_000);
  return `+1650${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, "0")}`;
};
export const uniqueEmail = () => `p-${unique()}@example.com`;

export function submit<T = FormAnswerJson>(publicKey: string, body: unknown, headers: Record<string, string> = {}) {
  return call<T>("POST", `/f/${publicKey}`, { body, headers });
}

export async function countRows(db: Client, table: "lead" | "lead_event", workspaceId: string): Promise<number> {
  const rs = await db.execute({
    sql: `SELECT count(*) AS n FROM ${table} WHERE workspace_id = ?`,
    args: [workspaceId],
  });
  return Number(rs.rows[0]?.n);
}

/**
 * Pipeline requests made so far with this project's token (pool-project.ts): the Worker's, its queue consumers'
 * and alarms' included, the test's own reads (`testDb`, no token) and other projects' work not.
 */
export async function libsqlStats(): Promise<{ pipelineRequests: number }> {
  if (!env.LIBSQL_AUTH_TOKEN) throw new Error("libsqlStats: the project has no LIBSQL_AUTH_TOKEN to count by");
  return { pipelineRequests: await requestsWith(env.LIBSQL_AUTH_TOKEN) };
}

/** Pipeline requests the test server has counted for one bearer token. */
async function requestsWith(token: string): Promise<number> {
  const res = await fetch(`${libsqlUrl}/_stats?token=${encodeURIComponent(token)}`);
  return ((await res.json()) as { pipelineRequests: number }).pipelineRequests;
}

// The env `fetchWorker` hands the Worker while `libsqlRequests` counts: the test env with a token of its own.
let countedEnv: typeof env | undefined;

/**
 * The libSQL pipeline requests the Worker made for what `work` sent through `fetchWorker` (with the waitUntil
 * work of those calls that was over when `work` returned; `soFar` reads the count at any point), and no others.
 * Those calls reach the Worker with a fresh LIBSQL_AUTH_TOKEN, which the test server accepts and counts by. Work
 * still running from earlier tests in this workerd (a retry queued with a delay, an alarm, an earlier call's
 * waitUntil) and the test's own reads carry other tokens or none, so an exact count does not depend on what else
 * happened to be running.
 */
export async function libsqlRequests(work: (soFar: () => Promise<number>) => Promise<unknown>): Promise<number> {
  if (countedEnv) throw new Error("libsqlRequests: already counting");
  const token = `counted-${unique()}`;
  const soFar = () => requestsWith(token);
  countedEnv = { ...env, LIBSQL_AUTH_TOKEN: token };
  try {
    await work(soFar);
  } finally {
    countedEnv = undefined;
  }
  return soFar();
}

/**
 * Lead rows and timeline rows of one workspace, read in one query: what a request may (not) have written.
 * `inquiries` counts the events that record a prospect's contact (`created`, `re-inquiry`): exactly one per
 * accepted capture. `events` counts all of them, routing ones (`assigned`, `reassigned`, ...) included.
 */
export async function leadRows(workspaceId: string): Promise<{ leads: number; inquiries: number; events: number }> {
  const rs = await testDb().execute({
    sql: `SELECT (SELECT count(*) FROM lead WHERE workspace_id = :ws) AS leads,
                 (SELECT count(*) FROM lead_event WHERE workspace_id = :ws
                   AND type IN ('created', 're-inquiry')) AS inquiries,
                 (SELECT count(*) FROM lead_event WHERE workspace_id = :ws) AS events`,
    args: { ws: workspaceId },
  });
  const row = rs.rows[0];
  return { leads: Number(row?.leads), inquiries: Number(row?.inquiries), events: Number(row?.events) };
}

/**
 * Row counts for "no side effect" checks: workspaces anywhere, and every other table's rows in the given
 * workspaces. Not the whole database: work earlier test files left armed in this workerd (an SLA alarm that
 * reassigns, a delayed retry whose send fails) may write to their own workspaces at any moment.
 */
export async function allRows(workspaceIds: string[]): Promise<Record<string, number>> {
  const scoped = ["api_key", "rep", "form", "lead", "lead_event", "pool", "routing_rule", "person", "session"];
  const inScope = `workspace_id IN (${workspaceIds.map(() => "?").join(", ")})`;
  const rs = await testDb().execute({
    sql: `SELECT (SELECT count(*) FROM workspace) AS workspace, ${scoped
      .map((t) => `(SELECT count(*) FROM ${t} WHERE ${inScope}) AS ${t}`)
      .join(", ")}`,
    args: scoped.flatMap(() => workspaceIds),
  });
  return Object.fromEntries(["workspace", ...scoped].map((t) => [t, Number(rs.rows[0]?.[t])]));
}

/** The one error shape, and nothing else in the body. */
export function isErrorShape(json: unknown): boolean {
  if (!json || typeof json !== "object" || Object.keys(json).join() !== "error") return false;
  const e = (json as { error: unknown }).error;
  if (!e || typeof e !== "object") return false;
  const keysOk = Object.keys(e).every((k) => ["code", "message", "requestId", "fields"].includes(k));
  const fieldsOk =
    !("fields" in e) ||
    (typeof e.fields === "object" && e.fields !== null && Object.values(e.fields).every((v) => typeof v === "string"));
  const { code, message, requestId } = e as Record<string, unknown>;
  return keysOk && fieldsOk && typeof code === "string" && typeof message === "string" && typeof requestId === "string";
}

/**
 * The Worker's exported fetch with the test env (bindings included); `call` and `callRaw` go through it. In
 * vitest-pool-workers 0.15 each SELF.fetch costs more workerd CPU the more calls the file has made (measured:
 * 100 calls 0.3 s, the fifth 100 7–8 s), a direct call stays flat (100 calls in 15–30 ms).
 */
export async function fetchWorker(path: string, init: RequestInit = {}): Promise<Response> {
  const request = new Request(`https://leadrelay.test${path}`, { redirect: "manual", ...init });
  return worker.fetch(request as Parameters<typeof worker.fetch>[0], countedEnv ?? env, createExecutionContext());
}

/** Raw bytes (or text) with any content type, or none; through `fetchWorker`. */
export async function callRaw<T = ResponseJson>(
  method: string,
  path: string,
  body: Uint8Array | string | undefined,
  headers: Record<string, string> = {},
): Promise<TestResponse<T>> {
  const res = await fetchWorker(path, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  });
  return readResult<T>(res);
}

/** Signs in to the dashboard with an API key, as a browser on the Worker's own origin would; returns the cookie. */
export async function dashboardSession(key: string): Promise<{ cookie: string; setCookie: string }> {
  const res = await call("POST", "/app/login", {
    rawBody: new URLSearchParams({ apiKey: key }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://leadrelay.test" },
  });
  if (res.status !== 303 || res.headers.get("location") !== "/app") throw new Error(`dashboard sign-in: ${res.status}`);
  const setCookie = res.headers.get("set-cookie") ?? "";
  return { cookie: setCookie.split(";")[0]!, setCookie };
}
