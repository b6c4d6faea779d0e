import { describe, expect, it } from "vitest";
import type { LeadCreatedJson } from "../support/response-json";
import { call, leadRows, seedWorkspace, submit, uniqueEmail } from "../support/workers/harness";

// Found by fuzzing with prototype keys: a form field (or honeypot) may be named like an Object.prototype
// member ("constructor", "toString", ...), and reading `submission[name]` then found the inherited function.
describe("form fields named like Object.prototype members", () => {
  it("an optional field named `constructor` left empty does not block the submission", async () => {
    const ws = await seedWorkspace({
      form: {
        fields: [
          { name: "name", label: "Name", type: "text" },
          { name: "email", label: "Email", type: "email" },
          { name: "constructor", label: "Builder", type: "text" },
        ],
      },
    });
    const res = await submit(ws.form.publicKey, { name: "Bob", email: uniqueEmail() });
    expect(res.status, res.text).toBe(200);
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 1, events: 2 });
  });

  it("a honeypot named `constructor` does not swallow every real submission", async () => {
    const ws = await seedWorkspace({ form: { honeypotField: "constructor" } });
    const res = await submit(ws.form.publicKey, { name: "Real Person", email: uniqueEmail() });
    expect(res.status).toBe(200);
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 1, events: 2 });
    // ...and a bot that fills it is still dropped.
    await submit(ws.form.publicKey, { name: "Bot", email: uniqueEmail(), constructor: "x" });
    expect(await leadRows(ws.id)).toEqual({ leads: 1, inquiries: 1, events: 2 });
  });

  it("`__proto__` in a submission or in API `fields` is plain data: no pollution, not stored as a field", async () => {
    const ws = await seedWorkspace();
    const raw = `{"name":"P","email":"${uniqueEmail()}","__proto__":{"polluted":"yes"}}`;
    const res = await call("POST", `/f/${ws.form.publicKey}`, {
      rawBody: raw,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const api = await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      rawBody: `{"email":"${uniqueEmail()}","fields":{"__proto__":"x","plan":"pro"}}`,
      headers: { "content-type": "application/json" },
    });
    expect(api.status).toBeLessThan(500);
    if (api.status === 201) expect(api.json.lead.fields.plan).toBe("pro");
  });
});
