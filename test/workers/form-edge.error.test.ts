import { describe, expect, it } from "vitest";
import type { ErrorBody, LeadJson, ListJson } from "../support/response-json";
import { call, callRaw, isErrorShape, leadRows, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";

const urlencoded = <T = ErrorBody>(formKey: string, body: string, contentType = "application/x-www-form-urlencoded") =>
  callRaw<T>("POST", `/f/${formKey}`, body, { "content-type": contentType });
const json = <T = ErrorBody>(formKey: string, body: string) =>
  callRaw<T>("POST", `/f/${formKey}`, body, { "content-type": "application/json" });

describe("form submissions at the edges", () => {
  it("_elapsed_ms as an object (even one with toString/valueOf) → 422 naming the field, nothing stored", async () => {
    const ws = await seedWorkspace();
    for (const elapsed of [{}, { toString: 1, valueOf: 1 }, { valueOf: "5000" }, [5000]]) {
      const res = await json(
        ws.form.publicKey,
        JSON.stringify({ name: "Obj", email: uniqueEmail(), _elapsed_ms: elapsed }),
      );
      expect(res.status, JSON.stringify(elapsed)).toBe(422);
      expect(isErrorShape(res.json)).toBe(true);
      expect(res.json.error.fields).toHaveProperty("_elapsed_ms");
    }
    expect(await leadRows(ws.id)).toEqual({ leads: 0, inquiries: 0, events: 0 });
  });

  it("one entry retried (same _sid) is recorded once; another submission reusing it is its own lead", async () => {
    const ws = await seedWorkspace();
    const first = { name: "First", email: uniqueEmail(), _sid: "lrsidreuse01", _elapsed_ms: 5000 };
    expect((await json(ws.form.publicKey, JSON.stringify(first))).status).toBe(200);
    expect((await json(ws.form.publicKey, JSON.stringify({ ...first, _elapsed_ms: 7000 }))).status).toBe(200);
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 1, events: 2 });

    const other = { name: "Second", email: uniqueEmail(), _sid: "lrsidreuse01", _elapsed_ms: 5000 };
    expect((await json(ws.form.publicKey, JSON.stringify(other))).status).toBe(200);
    expect(await leadRows(ws.id)).toEqual({ leads: 2, inquiries: 2, events: 4 });
    const orphans = await testDb().execute({
      sql: `SELECT count(*) AS n FROM lead l WHERE l.workspace_id = ? AND NOT EXISTS (SELECT 1 FROM lead_event e
        WHERE e.lead_id = l.id AND e.type = 'created')`,
      args: [ws.id],
    });
    expect(Number(orphans.rows[0]!.n)).toBe(0);
  });

  it("urlencoded Latin-1: honoured with a declared charset, else refused with a 400 that says so", async () => {
    const ws = await seedWorkspace();
    const email = uniqueEmail();
    const body = `name=Jos%E9+M%FCller&email=${encodeURIComponent(email)}&message=%80+5`;
    const refused = await urlencoded(ws.form.publicKey, body);
    expect(refused.status).toBe(400);
    expect(isErrorShape(refused.json)).toBe(true);
    expect(refused.json.error.message).toMatch(/charset/);
    expect(refused.json.error.fields).toHaveProperty("name");
    expect(await leadRows(ws.id)).toEqual({ leads: 0, inquiries: 0, events: 0 });

    const ok = await urlencoded(ws.form.publicKey, body, "application/x-www-form-urlencoded; charset=ISO-8859-1");
    expect(ok.status).toBe(200);
    const lead = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    expect(lead).toMatchObject({ name: "José Müller", email });
    expect(lead.message).toBe("€ 5");

    // UTF-8, declared or not, as before.
    const utf8 = await urlencoded(
      ws.form.publicKey,
      `name=${encodeURIComponent("Zoë")}&email=${encodeURIComponent(uniqueEmail())}`,
      "application/x-www-form-urlencoded; charset=utf-8",
    );
    expect(utf8.status).toBe(200);
    expect(
      (await call<ListJson<LeadJson>>("GET", "/api/v1/leads?q=Zo", { key: ws.key })).json.data.map((l) => l.name),
    ).toContain("Zoë");

    const unknown = await urlencoded(ws.form.publicKey, "name=x", "application/x-www-form-urlencoded; charset=koi8-r");
    expect(unknown.status).toBe(415);
    expect(unknown.json.error.fields).toHaveProperty("content-type");
  });
});
