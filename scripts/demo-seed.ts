import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

export interface DemoWorkspace {
  apiKey: string;
  formKey: string;
}

const DEMO_REPS = [
  { name: "Ava Santos", email: "ava@demo.leadrelay.dev", timezone: "America/New_York" },
  { name: "Ben Okafor", email: "ben@demo.leadrelay.dev", timezone: "Europe/London" },
  { name: "Chen Wei", email: "chen@demo.leadrelay.dev", timezone: "Asia/Singapore" },
];

async function api(base: string, path: string, init: { key?: string; method?: string; body?: unknown } = {}) {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const json = (await res.json().catch(() => null)) as any;
  return { status: res.status, json };
}

/**
 * The demo workspace (3 reps, one form), created through the product's own API. Its key lives in
 * <dataDir>/demo.json (the database keeps only the hash); a second run reuses it and tops up what is missing.
 */
export async function ensureDemoWorkspace(base: string, dataDir: string): Promise<DemoWorkspace> {
  const file = resolve(dataDir, "demo.json");
  let apiKey: string | undefined;
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Partial<DemoWorkspace>;
    if (saved.apiKey && (await api(base, "/api/v1/workspace", { key: saved.apiKey })).status === 200)
      apiKey = saved.apiKey;
  }
  if (!apiKey) {
    const created = await api(base, "/api/v1/workspaces", {
      body: { name: "Demo Co", defaultCountry: "US", timezone: "America/New_York" },
    });
    if (created.status !== 201) throw new Error(`creating the demo workspace failed: ${JSON.stringify(created.json)}`);
    apiKey = created.json.apiKey.key as string;
  }
  const key = apiKey;

  const reps = (await api(base, "/api/v1/reps", { key })).json.data as { name: string }[];
  for (const rep of DEMO_REPS) {
    if (!reps.some((r) => r.name === rep.name)) await api(base, "/api/v1/reps", { key, body: rep });
  }
  const forms = (await api(base, "/api/v1/forms", { key })).json.data as { name: string; publicKey: string }[];
  let form = forms.find((f) => f.name === "Website contact form");
  if (!form) {
    const created = await api(base, "/api/v1/forms", { key, body: { name: "Website contact form" } });
    if (created.status !== 201) throw new Error(`creating the demo form failed: ${JSON.stringify(created.json)}`);
    form = created.json as { name: string; publicKey: string };
  }
  const demo = { apiKey: key, formKey: form.publicKey };
  writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}
