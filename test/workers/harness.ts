import { createClient, type Client } from "@libsql/client/web";
import { SELF } from "cloudflare:test";
import { inject } from "vitest";

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

export async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await SELF.fetch(`https://leadrelay.test${path}`, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
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
  const created = await call("POST", "/api/v1/workspaces", {
    body: { name: `Acme ${unique()}`, defaultCountry: opts.defaultCountry ?? "US", timezone: "America/New_York" },
  });
  if (created.status !== 201) throw new Error(`seed workspace: ${created.status} ${created.text}`);
  const key: string = created.json.apiKey.key;
  const form = await call("POST", "/api/v1/forms", { key, body: { name: "Contact us", ...opts.form } });
  if (form.status !== 201) throw new Error(`seed form: ${form.status} ${form.text}`);
  const reps = [];
  for (const name of opts.reps ?? ["Ana", "Ben"]) {
    const r = await call("POST", "/api/v1/reps", { key, body: { name } });
    if (r.status !== 201) throw new Error(`seed rep: ${r.status} ${r.text}`);
    reps.push({ id: r.json.id, name });
  }
  return { id: created.json.workspace.id, key, form: { id: form.json.id, publicKey: form.json.publicKey }, reps };
}

export const uniquePhone = () => `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;
export const uniqueEmail = () => `p-${unique()}@example.com`;

export function submit(publicKey: string, body: unknown, headers: Record<string, string> = {}) {
  return call("POST", `/f/${publicKey}`, { body, headers });
}

export async function countRows(db: Client, table: "lead" | "lead_event", workspaceId: string): Promise<number> {
  const rs = await db.execute({ sql: `SELECT count(*) AS n FROM ${table} WHERE workspace_id = ?`, args: [workspaceId] });
  return Number(rs.rows[0]?.n);
}

export async function libsqlStats(): Promise<{ pipelineRequests: number }> {
  const res = await fetch(`${libsqlUrl}/_stats`);
  return (await res.json()) as { pipelineRequests: number };
}
