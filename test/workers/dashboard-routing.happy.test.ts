import { describe, expect, it } from "vitest";
import type { AuditEventView } from "../../workers/domain/team/audit-log";
import type { ListJson, PoolJson, RuleJson, SequenceJson } from "../support/response-json";
import { call, dashboardSession, seedWorkspace, testDb } from "../support/workers/harness";

const BASE = "https://leadrelay.test";

const post = (path: string, cookie: string, form: Record<string, string>) =>
  call("POST", path, {
    rawBody: new URLSearchParams(form).toString(),
    headers: { cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded" },
  });
const get = (path: string, cookie: string) => call("GET", path, { headers: { cookie } });
const errorUnder = (text: string, control: string) =>
  new RegExp(`data-error-for="${control.replaceAll(".", "\\.")}">([^<]+)<`).exec(text)?.[1];
const audited = async (key: string) =>
  (await call<ListJson<AuditEventView>>("GET", "/api/v1/audit?limit=100", { key })).json.data.map(
    (e): [string, string | null] => [e.action, e.resourceId],
  );
const rules = async (key: string) =>
  (await call<ListJson<RuleJson>>("GET", "/api/v1/routing-rules", { key })).json.data as any[];

describe("console routing and sequences pages", () => {
  it("pools and rules: foreign ids refused under their field, rules move, OR-groups round-trip", async () => {
    const a = await seedWorkspace();
    const b = await seedWorkspace();
    const { cookie } = await dashboardSession(a.key);
    const [ana, ben] = a.reps;

    // Another workspace's rep as a member: 422 under the members list, no pool written.
    const foreign = await post("/app/routing/pools", cookie, {
      name: "Solar",
      strategy: "weighted",
      slaMinutes: "20",
      [`member.${b.reps[0]!.id}`]: "on",
    });
    expect(foreign.status).toBe(422);
    expect(errorUnder(foreign.text, "members")).toBe("No such rep in this workspace.");
    expect((await call<ListJson<PoolJson>>("GET", "/api/v1/pools", { key: a.key })).json.data).toEqual([]);

    const made = await post("/app/routing/pools", cookie, {
      name: "Solar",
      strategy: "least-loaded",
      slaMinutes: "20",
      hotSlaMinutes: "4",
      maxReassignments: "1",
      [`member.${ana!.id}`]: "on",
      [`member.${ben!.id}`]: "on",
      escalation0: "",
      escalation1: ben!.id,
    });
    expect(made.status, made.text).toBe(303);
    const pool = (await call<ListJson<PoolJson>>("GET", "/api/v1/pools", { key: a.key })).json.data[0]!;
    expect(pool).toMatchObject({
      name: "Solar",
      strategy: "least-loaded",
      slaMinutes: 20,
      hotSlaMinutes: 4,
      maxReassignments: 1,
      escalationRepIds: [ben!.id],
    });
    expect([...pool.repIds].sort()).toEqual([ana!.id, ben!.id].sort());
    expect(made.headers.get("location")).toBe(`/app/routing/pools/${pool.id}?saved=1`);
    // B cannot open or change A's pool.
    const { cookie: bCookie } = await dashboardSession(b.key);
    expect((await get(`/app/routing/pools/${pool.id}`, bCookie)).status).toBe(404);
    expect((await post(`/app/routing/pools/${pool.id}/delete`, bCookie, {})).status).toBe(404);

    const rule = (name: string, extra: Record<string, string> = {}) =>
      post("/app/routing/rules", cookie, { name, poolId: pool.id, "m.fname.0": "", "m.fvalues.0": "", ...extra });
    const groups = {
      "g0.on": "1",
      "g0.regions": "TX, Texas",
      "g1.on": "1",
      "g1.fname.0": "product",
      "g1.fvalues.0": "solar, battery",
    };
    const bad = await rule("Texas solar", { ...groups, "m.countries": "US, Texas" });
    expect(bad.status).toBe(422);
    expect(errorUnder(bad.text, "m.countries")).toBe("ISO alpha-2 country code.");
    expect(await rules(a.key)).toEqual([]);
    // An answer row with values but no answer name, and one with a name but no values: each refused on its row.
    const unnamed = await rule("Unnamed", { "m.fvalues.0": "solar", "m.fname.1": "budget", "m.fvalues.1": "" });
    expect(errorUnder(unnamed.text, "m.field.0")).toBe("Name the form answer this condition reads.");
    expect(errorUnder(unnamed.text, "m.field.1")).toBe("List at least one value.");
    expect(await rules(a.key)).toEqual([]);
    const foreignPool = await post("/app/routing/rules", cookie, { name: "X", poolId: b.reps[0]!.id });
    expect(errorUnder(foreignPool.text, "poolId")).toBe("No such pool in this workspace.");

    const good = await rule("Texas solar", { ...groups, "m.countries": "US", "m.src.form": "on" });
    expect(good.status).toBe(303);
    expect((await rule("Second")).status).toBe(303);
    expect((await rule("Third", { [`m.form.${a.form.id}`]: "on" })).status).toBe(303);
    const [texas, second, third] = await rules(a.key);
    expect(texas.match).toEqual({
      sources: ["form"],
      countries: ["US"],
      any: [{ regions: ["TX", "Texas"] }, { fields: { product: ["solar", "battery"] } }],
    });
    expect(third.match).toEqual({ formIds: [a.form.id] });

    // The edit page shows what was saved, so posting it back unchanged changes nothing.
    const page = await get(`/app/routing/rules/${texas.id}`, cookie);
    expect(page.text).toContain('value="TX, Texas"');
    expect(page.text).toContain('value="solar, battery"');

    expect((await post(`/app/routing/rules/${third.id}/move`, cookie, { direction: "up" })).status).toBe(303);
    expect((await rules(a.key)).map((r) => r.name)).toEqual(["Texas solar", "Third", "Second"]);
    await post(`/app/routing/rules/${texas.id}/move`, cookie, { direction: "down" });
    await post(`/app/routing/rules/${second.id}/move`, cookie, { direction: "down" }); // already last
    expect((await rules(a.key)).map((r) => r.name)).toEqual(["Third", "Texas solar", "Second"]);
    expect((await post(`/app/routing/rules/${third.id}/move`, bCookie, { direction: "down" })).status).toBe(404);
    expect((await get(`/app/routing/rules/${third.id}`, bCookie)).status).toBe(404);
    expect((await post(`/app/routing/rules/${third.id}`, bCookie, { name: "Taken", poolId: pool.id })).status).toBe(
      404,
    );
    expect((await post(`/app/routing/rules/${third.id}/delete`, bCookie, {})).status).toBe(404);
    expect((await rules(a.key)).find((r) => r.id === third.id)?.name).toBe("Third");
    const list = await get("/app/routing", cookie);
    expect(list.text).toContain("country US and either (region TX or Texas) or (product = solar or battery)");
    expect(list.text).not.toMatch(/api\/v1/);

    expect((await post(`/app/routing/pools/${pool.id}/delete`, cookie, {})).status).toBe(303);
    expect(await rules(a.key)).toEqual([]);

    // Every change through these pages is in the audit trail, named like the API's; a preview changes nothing.
    expect((await post("/app/routing/preview", cookie, { source: "form", "ans.name.0": "product" })).status).toBe(200);
    const trail = await audited(a.key);
    expect(trail).toContainEqual(["pool.created", pool.id]);
    expect(trail).toContainEqual(["routing_rule.created", texas.id]);
    expect(trail).toContainEqual(["routing_rule.moved", third.id]);
    expect(trail).toContainEqual(["pool.deleted", pool.id]);
    expect(trail.filter(([action]) => action === "routing_rule.moved")).toHaveLength(3);
    // Besides the seeded form and reps, only pool and rule changes: the preview left no entry.
    const other = trail.filter(([action]) => !/^(pool|routing_rule)\.|^(form|rep)\.created$/.test(action));
    expect(other).toEqual([]);
  });

  it("sequences: a step without text is refused under it, nothing written; edits replace the steps", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const base = { name: "Nurture", active: "on", quiet: "on", quietStart: "21:00", quietEnd: "08:00" };
    const bad = await post("/app/sequences", cookie, {
      ...base,
      "step.delay.0": "2",
      "step.unit.0": "hours",
      "step.sender.0": "email",
      "step.text.0": "Hi {name}",
      "step.delay.1": "1",
      "step.unit.1": "days",
      "step.sender.1": "telegram",
      "step.delay.2": "",
      "step.sender.2": "email",
    });
    expect(bad.status).toBe(422);
    expect(errorUnder(bad.text, "step1")).toBe("This step needs text.");
    const count = async () =>
      (await testDb().execute({ sql: "SELECT count(*) AS n FROM sequence WHERE workspace_id = ?", args: [ws.id] }))
        .rows[0]!.n;
    expect(await count()).toBe(0);

    const badQuiet = await post("/app/sequences", cookie, {
      ...base,
      quietEnd: "25:00",
      "step.delay.0": "5",
      "step.sender.0": "email",
      "step.text.0": "Hi",
    });
    expect(errorUnder(badQuiet.text, "quietEnd")).toBe("Local time as HH:MM (24 h).");

    const made = await post("/app/sequences", cookie, {
      ...base,
      formId: ws.form.id,
      "step.delay.0": "2",
      "step.unit.0": "hours",
      "step.sender.0": "email",
      "step.subject.0": "Hello",
      "step.text.0": "Hi {name}",
      "step.delay.1": "1",
      "step.unit.1": "days",
      "step.sender.1": "whatsapp",
      "step.template.1": "follow_up_1",
    });
    expect(made.status, made.text).toBe(303);
    const id = made.headers.get("location")!.split("/").pop()!.split("?")[0]!;
    const saved = (await call<SequenceJson>("GET", `/api/v1/sequences/${id}`, { key: ws.key })).json;
    expect(saved).toMatchObject({ formId: ws.form.id, quietStart: "21:00", quietEnd: "08:00" });
    expect(saved.steps.map((s: any) => [s.position, s.delayMinutes, s.sender, s.text, s.template])).toEqual([
      [1, 120, "email", "Hi {name}", null],
      [2, 1440, "whatsapp", null, "follow_up_1"],
    ]);
    const edit = await get(`/app/sequences/${id}`, cookie);
    expect(edit.text).toMatch(/name="step\.delay\.0"[^>]*value="2"/);

    // No quiet hours, only the second step left.
    const changed = await post(`/app/sequences/${id}`, cookie, {
      name: "Nurture",
      "step.delay.0": "3",
      "step.unit.0": "minutes",
      "step.sender.0": "telegram",
      "step.text.0": "Still there?",
    });
    expect(changed.status, changed.text).toBe(303);
    const after = (await call<SequenceJson>("GET", `/api/v1/sequences/${id}`, { key: ws.key })).json;
    expect(after).toMatchObject({ active: false, quietStart: null, quietEnd: null, formId: null });
    expect(after.steps).toMatchObject([{ position: 1, delayMinutes: 3, sender: "telegram", text: "Still there?" }]);

    const other = await seedWorkspace();
    const { cookie: otherCookie } = await dashboardSession(other.key);
    expect((await get(`/app/sequences/${id}`, otherCookie)).status).toBe(404);
    expect((await post(`/app/sequences/${id}/delete`, otherCookie, {})).status).toBe(404);
    expect((await post(`/app/sequences/${id}/delete`, cookie, {})).status).toBe(303);
    expect(await count()).toBe(0);
    expect((await audited(ws.key)).filter(([action]) => action.startsWith("sequence.")).reverse()).toEqual([
      ["sequence.created", id],
      ["sequence.updated", id],
      ["sequence.deleted", id],
    ]);
  });
});
