/** What the bench needs, created through the product's own API like an owner would. */
export interface BenchWorkspace {
  id: string;
  key: string;
  formKey: string;
  repIds: string[];
}

export async function api(base: string, path: string, body: unknown, key?: string) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (res.status !== 201) throw new Error(`bench seed ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function seedBenchWorkspace(base: string, reps = 4): Promise<BenchWorkspace> {
  const created = await api(base, "/api/v1/workspaces", { name: "Bench Co", defaultCountry: "US", timezone: "UTC" });
  const key: string = created.apiKey.key;
  const form = await api(base, "/api/v1/forms", { name: "Bench form" }, key);
  const repIds: string[] = [];
  for (let i = 0; i < reps; i++)
    repIds.push((await api(base, "/api/v1/reps", { name: `Rep ${i + 1}`, weight: 1 }, key)).id);
  return { id: created.workspace.id, key, formKey: form.publicKey, repIds };
}
