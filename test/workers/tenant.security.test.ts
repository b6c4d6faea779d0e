import { describe, expect, it } from "vitest";
import { call, seedWorkspace, submit, uniqueEmail } from "./harness";

describe("tenant isolation", () => {
  it("a key of workspace A gets 404 for every resource of workspace B, and B is unchanged", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    await submit(b.form.publicKey, { name: "B's lead", email: uniqueEmail() });
    const bLead = (await call("GET", "/api/v1/leads", { key: b.key })).json.data[0];
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
      const res = await call(method, path, { key: a.key, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error.code).toBe("NOT_FOUND");
      expect(res.text).not.toContain(bLead.email);
    }

    // A's lists never include B's rows.
    const lists = await Promise.all(["/api/v1/leads", "/api/v1/reps", "/api/v1/forms"].map((p) => call("GET", p, { key: a.key })));
    const ids = lists.flatMap((l) => l.json.data.map((row: { id: string }) => row.id));
    expect(ids).not.toContain(bLead.id);
    expect(ids).not.toContain(bRep);
    expect(ids).not.toContain(b.form.id);
    expect((await call("GET", `/api/v1/leads?q=${encodeURIComponent(bLead.email)}`, { key: a.key })).json.data).toEqual([]);

    // A cannot hand its own lead to B's rep either.
    const aLead = (await call("POST", "/api/v1/leads", { key: a.key, body: { email: uniqueEmail() } })).json.lead;
    const cross = await call("PATCH", `/api/v1/leads/${aLead.id}`, { key: a.key, body: { ownerRepId: bRep } });
    expect(cross.status).toBe(422);

    // B's data is untouched.
    const after = await call("GET", `/api/v1/leads/${bLead.id}`, { key: b.key });
    expect(after.json.lead).toMatchObject({ status: "new", notes: null });
    expect(after.json.events.map((e: { type: string }) => e.type)).toEqual(["created", "assigned"]);
    expect((await call("GET", `/api/v1/reps/${bRep}`, { key: b.key })).json.paused).toBe(false);
    expect((await call("GET", `/api/v1/forms/${b.form.id}`, { key: b.key })).json.name).toBe("Contact us");
  });

  it("the same contact in two workspaces is two separate leads", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    const email = uniqueEmail();
    await submit(a.form.publicKey, { name: "Same", email });
    await submit(b.form.publicKey, { name: "Same", email });
    const la = (await call("GET", "/api/v1/leads", { key: a.key })).json.data;
    const lb = (await call("GET", "/api/v1/leads", { key: b.key })).json.data;
    expect(la).toHaveLength(1);
    expect(lb).toHaveLength(1);
    expect(la[0].id).not.toBe(lb[0].id);
  });
});
