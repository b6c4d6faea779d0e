import { describe, expect, it } from "vitest";
import type {
  ApiKeyJson,
  ErrorBody,
  FormJson,
  LeadCreatedJson,
  LeadDetailJson,
  LeadJson,
  ListJson,
  PoolJson,
  RepJson,
  RuleJson,
} from "../support/response-json";
import { call, isErrorShape, seedWorkspace, submit, uniqueEmail } from "../support/workers/harness";
import { ownerOperations, validBodyFor } from "../support/workers/openapi-routes";
import { connectBot } from "../support/workers/telegram-harness";

describe("tenant isolation", () => {
  it("a key of workspace A gets 404 for every resource of workspace B, and B is unchanged", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    await submit(b.form.publicKey, { name: "B's lead", email: uniqueEmail() });
    const bLead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: b.key })).json.data[0]!;
    const bRep = b.reps[0]!.id;

    const probes: [string, string, unknown?][] = [
      ["GET", `/api/v1/leads/${bLead.id}`],
      ["PATCH", `/api/v1/leads/${bLead.id}`, { status: "won" }],
      ["PATCH", `/api/v1/leads/${bLead.id}`, { notes: "pwned" }],
      ["GET", `/api/v1/reps/${bRep}`],
      ["PATCH", `/api/v1/reps/${bRep}`, { paused: true }],
      ["GET", `/api/v1/forms/${b.form.id}`],
      ["PATCH", `/api/v1/forms/${b.form.id}`, { name: "pwned" }],
      ["DELETE", `/api/v1/forms/${b.form.id}`],
    ];
    for (const [method, path, body] of probes) {
      const res = await call<ErrorBody>(method, path, { key: a.key, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error.code).toBe("NOT_FOUND");
      expect(res.text).not.toContain(bLead.email!);
    }

    // A's lists never include B's rows.
    const lists = await Promise.all(
      ["/api/v1/leads", "/api/v1/reps", "/api/v1/forms"].map((p) =>
        call<ListJson<{ id: string }>>("GET", p, { key: a.key }),
      ),
    );
    const ids = lists.flatMap((l) => l.json.data.map((row: { id: string }) => row.id));
    expect(ids).not.toContain(bLead.id);
    expect(ids).not.toContain(bRep);
    expect(ids).not.toContain(b.form.id);
    expect(
      (await call<ListJson<LeadJson>>("GET", `/api/v1/leads?q=${encodeURIComponent(bLead.email!)}`, { key: a.key }))
        .json.data,
    ).toEqual([]);

    // A cannot hand its own lead to B's rep either.
    const aLead = (await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: a.key, body: { email: uniqueEmail() } }))
      .json.lead;
    const cross = await call<LeadDetailJson>("PATCH", `/api/v1/leads/${aLead.id}`, {
      key: a.key,
      body: { ownerRepId: bRep },
    });
    expect(cross.status).toBe(422);

    // B's data is untouched.
    const after = await call<LeadDetailJson>("GET", `/api/v1/leads/${bLead.id}`, { key: b.key });
    expect(after.json.lead).toMatchObject({ status: "new", notes: null });
    expect(after.json.events.map((e: { type: string }) => e.type)).toEqual(["created", "assigned"]);
    expect((await call<RepJson>("GET", `/api/v1/reps/${bRep}`, { key: b.key })).json.paused).toBe(false);
    expect((await call<FormJson>("GET", `/api/v1/forms/${b.form.id}`, { key: b.key })).json.name).toBe("Contact us");
  });

  it("the same contact in two workspaces is two separate leads", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    const email = uniqueEmail();
    await submit(a.form.publicKey, { name: "Same", email });
    await submit(b.form.publicKey, { name: "Same", email });
    const la = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: a.key })).json.data;
    const lb = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: b.key })).json.data;
    expect(la).toHaveLength(1);
    expect(lb).toHaveLength(1);
    expect(la[0]!.id).not.toBe(lb[0]!.id);
  });

  it("every owner route in the OpenAPI document with A's key on B's ids → 404; nothing of B leaks", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    const bEmail = uniqueEmail();
    await submit(b.form.publicKey, { name: "B secret", email: bEmail });
    const bLead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: b.key })).json.data[0]!;
    const bPool = (await call<PoolJson>("POST", "/api/v1/pools", { key: b.key, body: { name: "B pool" } })).json;
    const bRule = (
      await call<RuleJson>("POST", "/api/v1/routing-rules", {
        key: b.key,
        body: { name: "B rule", match: { sources: ["api"] }, poolId: bPool.id },
      })
    ).json;
    const aPool = (await call<PoolJson>("POST", "/api/v1/pools", { key: a.key, body: { name: "A pool" } })).json;
    const own = { repId: a.reps[0]!.id, poolId: aPool.id };
    const bSeq = (
      await call<{ id: string }>("POST", "/api/v1/sequences", {
        key: b.key,
        body: validBodyFor(
          { method: "POST", template: "/api/v1/sequences", resource: "sequences", hasBody: true, needsId: false },
          "b",
        ),
      })
    ).json;
    expect(bSeq.id).toBeTypeOf("string");
    const bHook = (
      await call<{ id?: string; endpoint?: { id: string } }>("POST", "/api/v1/webhooks", {
        key: b.key,
        body: validBodyFor(
          { method: "POST", template: "/api/v1/webhooks", resource: "webhooks", hasBody: true, needsId: false },
          "b",
        ),
      })
    ).json;
    expect(bHook.id ?? bHook.endpoint?.id, JSON.stringify(bHook)).toBeTypeOf("string");
    const bPerson = (
      await call<{ person: { id: string; email: string } }>("POST", "/api/v1/people", {
        key: b.key,
        body: { email: uniqueEmail(), name: "B admin", role: "admin" },
      })
    ).json.person;
    const bKey = (
      await call<ApiKeyJson>("POST", "/api/v1/api-keys", { key: b.key, body: { name: "B read key", scope: "read" } })
    ).json;
    const bIds: Record<string, string> = {
      leads: bLead.id,
      reps: b.reps[0]!.id,
      forms: b.form.id,
      pools: bPool.id,
      "routing-rules": bRule.id,
      sequences: bSeq.id,
      webhooks: (bHook.id ?? bHook.endpoint?.id)!,
      people: bPerson.id,
      "api-keys": bKey.id,
    };
    const secrets = [
      bLead.id,
      bEmail,
      b.reps[0]!.id,
      b.form.id,
      b.form.publicKey,
      b.id,
      bPool.id,
      bRule.id,
      bSeq.id,
      bPerson.id,
      bPerson.email,
      bKey.id,
      bKey.prefix,
    ];
    const bView = async () =>
      JSON.stringify(
        await Promise.all(
          [
            "/api/v1/workspace",
            "/api/v1/people",
            "/api/v1/leads",
            `/api/v1/leads/${bLead.id}`,
            "/api/v1/reps",
            "/api/v1/forms",
            "/api/v1/pools",
            "/api/v1/routing-rules",
            "/api/v1/sequences",
          ].map(async (p) => (await call("GET", p, { key: b.key })).json),
        ),
      );
    const before = await bView();
    const ops = await ownerOperations();
    expect(ops.length).toBeGreaterThanOrEqual(12);
    for (const op of ops) {
      const what = `${op.method} ${op.template}`;
      const body = op.hasBody ? { body: validBodyFor(op, "tenant", own) } : {};
      if (op.needsId) {
        // A new resource with an {id} needs a B-side fixture above: fail loudly rather than skip it.
        expect(bIds[op.resource], `${what}: add workspace B's ${op.resource} id to this test`).toBeDefined();
        const res = await call<ErrorBody>(
          op.method,
          op.template.replace("{id}", bIds[op.resource]!).replace("{position}", "1"),
          { key: a.key, ...body },
        );

        expect(res.status, what).toBe(404);
        expect(res.json.error.code, what).toBe("NOT_FOUND");
        for (const s of secrets.slice(1)) expect(res.text, what).not.toContain(s);
      } else {
        // Collection routes: B's ids as filters must find nothing.
        const query =
          op.method === "GET" && op.resource === "leads" ? `?owner=${bIds.reps}&q=${encodeURIComponent(bEmail)}` : "";
        const res = await call(op.method, `${op.template}${query}`, { key: a.key, ...body });
        expect(res.status, what).toBeLessThan(500);
        for (const s of secrets) expect(res.text, what).not.toContain(s);
      }
    }
    expect(await bView()).toBe(before);
    // B's keys: none revoked, none added (last-used times move, so they are not in bView).
    const bKeys = (await call<ListJson<ApiKeyJson>>("GET", "/api/v1/api-keys", { key: b.key })).json.data;
    expect(bKeys.map((k: { id: string; revokedAt: number | null }) => [k.id, k.revokedAt])).toEqual([
      [expect.any(String), null],
      [bKey.id, null],
    ]);
  });
});

type JsonSchema = {
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/** The parts of the OpenAPI document this file reads. */
interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Every property path named `…Id` or `…Ids` in an operation's JSON body, from the OpenAPI document. */

function idFields(doc: any, schema: JsonSchema | undefined, prefix = "", depth = 0): string[] {
  if (!schema || depth > 6) return [];
  if (schema.$ref) return idFields(doc, doc.components.schemas[schema.$ref.split("/").pop()!], prefix, depth + 1);
  const nested = [...(schema.anyOf ?? []), ...(schema.allOf ?? [])].flatMap((s) => idFields(doc, s, prefix, depth + 1));
  const own = Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return [...(/Ids?$/.test(name) ? [path] : []), ...idFields(doc, child, path, depth + 1)];
  });
  return [...new Set([...own, ...nested])];
}

describe("tenant isolation of ids inside request bodies", () => {
  it("a body id of another workspace or of none → 422 on that field, never a 500; B never deletes A's", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    const aPool = (await call<PoolJson>("POST", "/api/v1/pools", { key: a.key, body: { name: "A pool" } })).json;
    const bPool = (await call<PoolJson>("POST", "/api/v1/pools", { key: b.key, body: { name: "B pool" } })).json;
    const aRule = (
      await call<RuleJson>("POST", "/api/v1/routing-rules", {
        key: a.key,
        body: { name: "A rule", match: { sources: ["api"] }, poolId: aPool.id },
      })
    ).json;
    const steps = [{ delayMinutes: 60, sender: "email", text: "Hi" }];
    const aSeq = (
      await call<{ id: string }>("POST", "/api/v1/sequences", { key: a.key, body: { name: "A seq", steps } })
    ).json;
    const aLead = (await call<LeadCreatedJson>("POST", "/api/v1/leads", { key: a.key, body: { email: uniqueEmail() } }))
      .json.lead;
    const bRep = b.reps[0]!.id;
    const aPerson = (
      await call<{ id?: string; person?: { id: string } }>("POST", "/api/v1/people", {
        key: a.key,
        body: { email: uniqueEmail(), name: "A admin", role: "admin" },
      })
    ).json;
    const bChannel = (await connectBot(b)).channelId;

    // [method, path, body, the field the 422 must name]; `X` stands for the id under test.
    const probes: [string, string, (id: string) => Record<string, unknown>, string][] = [
      ["POST", "/api/v1/sequences", (id) => ({ name: "S", steps, poolId: id }), "poolId"],
      ["POST", "/api/v1/sequences", (id) => ({ name: "S", steps, formId: id }), "formId"],
      ["PATCH", `/api/v1/sequences/${aSeq.id}`, (id) => ({ poolId: id }), "poolId"],
      ["PATCH", `/api/v1/sequences/${aSeq.id}`, (id) => ({ formId: id }), "formId"],
      ["POST", "/api/v1/routing-rules", (id) => ({ name: "R", match: {}, poolId: id }), "poolId"],
      [
        "POST",
        "/api/v1/routing-rules",
        (id) => ({ name: "R", match: { formIds: [id] }, poolId: aPool.id }),
        "match.formIds.0",
      ],
      ["PATCH", `/api/v1/routing-rules/${aRule.id}`, (id) => ({ poolId: id }), "poolId"],
      [
        "PATCH",
        `/api/v1/routing-rules/${aRule.id}`,
        (id) => ({ match: { formIds: [a.form.id, id] } }),
        "match.formIds.1",
      ],
      ["POST", "/api/v1/pools", (id) => ({ name: "P", repIds: [id] }), "repIds.0"],
      ["POST", "/api/v1/pools", (id) => ({ name: "P", fallbackRepId: id }), "fallbackRepId"],
      ["PATCH", `/api/v1/pools/${aPool.id}`, (id) => ({ fallbackRepId: id }), "fallbackRepId"],
      ["POST", "/api/v1/pools", (id) => ({ name: "P", escalationRepIds: [id] }), "escalationRepIds.0"],
      ["POST", "/api/v1/routing/preview", (id) => ({ formId: id }), "formId"],
      ["POST", "/api/v1/scoring/preview", (id) => ({ leadId: id }), "leadId"],
      ["PATCH", `/api/v1/pools/${aPool.id}`, (id) => ({ escalationRepIds: [a.reps[0]!.id, id] }), "escalationRepIds.1"],
      ["PATCH", `/api/v1/pools/${aPool.id}`, (id) => ({ repIds: [a.reps[0]!.id, id] }), "repIds.1"],
      ["PATCH", `/api/v1/leads/${aLead.id}`, (id) => ({ ownerRepId: id }), "ownerRepId"],
      ["POST", `/api/v1/leads/${aLead.id}/claim`, (id) => ({ repId: id }), "repId"],
      ["POST", `/api/v1/leads/${aLead.id}/pass`, (id) => ({ repId: id }), "repId"],
      ["POST", `/api/v1/leads/${aLead.id}/assign`, (id) => ({ repId: id }), "repId"],
      ["PATCH", "/api/v1/workspace", (id) => ({ ownerRepId: id }), "ownerRepId"],
      ["POST", "/api/v1/people", (id) => ({ email: uniqueEmail(), name: "R", role: "rep", repId: id }), "repId"],
      ["PATCH", `/api/v1/people/${aPerson.person?.id ?? aPerson.id}`, (id) => ({ repId: id }), "repId"],
      ["POST", `/api/v1/reps/${a.reps[0]!.id}/telegram-invite`, (id) => ({ channelId: id }), "channelId"],
    ];
    const foreign: Record<string, string> = { pool: bPool.id, form: b.form.id, rep: bRep, channel: bChannel };
    const kindOf = (field: string) =>
      /pool/i.test(field) ? "pool" : /form/i.test(field) ? "form" : /channel/i.test(field) ? "channel" : "rep";
    const before = JSON.stringify(
      await Promise.all(
        ["/api/v1/sequences", "/api/v1/routing-rules", "/api/v1/pools", `/api/v1/leads/${aLead.id}`].map(
          async (p) => (await call("GET", p, { key: a.key })).json,
        ),
      ),
    );
    for (const [method, path, body, field] of probes) {
      for (const id of [foreign[kindOf(field)]!, `${kindOf(field)}_doesnotexist0000`]) {
        const res = await call<ErrorBody>(method, path, { key: a.key, body: body(id) });
        const what = `${method} ${path} ${field}=${id} → ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, what).toBe(422);
        expect(isErrorShape(res.json), what).toBe(true);
        expect(Object.keys(res.json.error.fields ?? {}), what).toContain(field);
      }
    }
    // Nothing of A changed, so nothing of A can hang off B's rows: B deleting them leaves A whole.
    expect((await call("DELETE", `/api/v1/pools/${bPool.id}`, { key: b.key })).status).toBe(204);
    expect((await call("DELETE", `/api/v1/forms/${b.form.id}`, { key: b.key })).status).toBe(204);
    const after = JSON.stringify(
      await Promise.all(
        ["/api/v1/sequences", "/api/v1/routing-rules", "/api/v1/pools", `/api/v1/leads/${aLead.id}`].map(
          async (p) => (await call("GET", p, { key: a.key })).json,
        ),
      ),
    );
    expect(after).toBe(before);

    // A body id field added later must be probed above: the list is checked against the OpenAPI document.
    const doc = (await call<OpenApiDoc>("GET", "/api/openapi.json")).json;
    const covered = new Set(
      probes.map(
        ([m, p, , f]) =>
          `${m} ${p.replace(/\/(seq|rule|pool|lead|psn|rep)_[^/]+/, "/{id}")} ${f.replace(/\.\d+$/, "")}`,
      ),
    );
    // Ids on the platforms' side (a chat, a number, a bot), not rows of a workspace.
    const platformId = /(^|\.)(telegramChatId|telegramUserId|phoneNumberId|botId|whatsappId|whatsappUserId)$/;
    for (const [template, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content?.["application/json"]?.schema;
        for (const field of idFields(doc, schema)) {
          const key = `${method.toUpperCase()} ${template} ${field}`;
          if (platformId.test(field)) continue;
          expect(covered.has(key), `${key}: add a probe for this body id`).toBe(true);
        }
      }
    }
  });
});
