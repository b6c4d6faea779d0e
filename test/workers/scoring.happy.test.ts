import { describe, expect, it } from "vitest";
import type { ScoringRules } from "../../workers/domain/capture/scoring";
import type { LeadCreatedJson, LeadDetailJson, LeadJson, ListJson } from "../support/response-json";
import { call, type ErrorBody, libsqlRequests, seedWorkspace, submit, uniqueEmail } from "../support/workers/harness";

describe("lead scoring", () => {
  it("serves the default rules, saves new ones and rejects bad ones field by field", async () => {
    const ws = await seedWorkspace();
    const defaults = await call<ScoringRules>("GET", "/api/v1/scoring", { key: ws.key });
    expect(defaults.status).toBe(200);
    expect(defaults.json).toMatchObject({ base: 1, hotThreshold: 7, contact: { phone: 1 } });

    const put = await call("PUT", "/api/v1/scoring", {
      key: ws.key,
      body: { hotThreshold: 5, utmSources: { google: 3 } },
    });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ hotThreshold: 5, utmSources: { google: 3 }, base: 1 });
    expect((await call<ScoringRules>("GET", "/api/v1/scoring", { key: ws.key })).json.utmSources).toEqual({
      google: 3,
    });

    const bad = await call<ErrorBody>("PUT", "/api/v1/scoring", {
      key: ws.key,
      body: { hotThreshold: 42, fields: [{ field: "budget" }] },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields!).sort()).toEqual(["fields.0.points", "hotThreshold"]);
  });

  it("scores a captured lead with the workspace's rules and stores the reasons", async () => {
    const ws = await seedWorkspace({
      form: {
        fields: [
          { name: "name", label: "Name", type: "text" },
          { name: "email", label: "Email", type: "email" },
          { name: "budget", label: "Budget", type: "select", options: ["small", "big"] },
        ],
      },
    });
    await call("PUT", "/api/v1/scoring", {
      key: ws.key,
      body: {
        utmSources: { google: 3 },
        fields: [{ field: "budget", equals: ["big"], points: 2, label: "Big budget" }],
        hotThreshold: 8,
      },
    });
    await submit(ws.form.publicKey, {
      name: "Hot",
      email: uniqueEmail(),
      budget: "big",
      page_url: "https://acme.test/?utm_source=google",
    });
    await submit(ws.form.publicKey, { email: uniqueEmail(), budget: "small" });
    const [cold, hot] = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data as [
      LeadJson,
      LeadJson,
    ];
    // base 1 + email 1 + google 3 + big budget 2 + fresh 1 = 8 (a name is worth 0 by default)
    expect(hot).toMatchObject({ score: 8, hot: true });
    expect(hot.scoreReasons!.map((r: { rule: string }) => r.rule)).toEqual([
      "base",
      "contact.email",
      "utm.google",
      "field.budget",
      "recency.1h",
    ]);
    // base 1 + email 1 + fresh 1 = 3
    expect(cold).toMatchObject({ score: 3, hot: false });
  });

  it("a re-inquiry raises the score with the engagement rule, without an extra request", async () => {
    const ws = await seedWorkspace();
    const email = uniqueEmail();
    await submit(ws.form.publicKey, { name: "Back", email });
    const first = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    const requests = await libsqlRequests(() =>
      submit(ws.form.publicKey, { name: "Back", email, phone: "+1 415 555 0142" }),
    );
    // A known contact: the batch that finds it, then its write (see capture-round-trip): scoring adds none.
    expect(requests).toBe(2);
    const again = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data[0]!;
    expect(again.id).toBe(first.id);
    expect(again.score).toBeGreaterThan(first.score!);
    expect(again.scoreReasons!.map((r: { rule: string }) => r.rule)).toContain("engagement.replied");
  });

  it("scores leads captured through the API too", async () => {
    const ws = await seedWorkspace();
    const res = await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { email: uniqueEmail(), phone: "+1 415 555 0143" },
    });
    expect(res.json.lead).toMatchObject({ score: 4, hot: false });
  });

  it("a hot lead gets the pool's shorter first-response deadline", async () => {
    const ws = await seedWorkspace();
    await submit(ws.form.publicKey, { name: "Warm", email: uniqueEmail() });
    await call("PUT", "/api/v1/scoring", { key: ws.key, body: { hotThreshold: 1 } });
    await submit(ws.form.publicKey, { name: "Hot", email: uniqueEmail() });
    const [hot, warm] = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key })).json.data as [
      LeadJson,
      LeadJson,
    ];
    expect([hot.hot, warm.hot]).toEqual([true, false]);
    // The implicit pool: 5 minutes for hot leads, 15 for the rest (routing).
    expect(hot.slaDueAt! - hot.createdAt).toBe(5 * 60_000);
    expect(warm.slaDueAt! - warm.createdAt).toBe(15 * 60_000);
  });

  it("rescoring applies changed rules to open leads only, keeping the engagement signal", async () => {
    const ws = await seedWorkspace();
    const email = uniqueEmail();
    await submit(ws.form.publicKey, { name: "Open", email });
    await submit(ws.form.publicKey, { name: "Open", email }); // a re-inquiry: "replied"
    await submit(ws.form.publicKey, { name: "Closed", email: uniqueEmail() });
    const closed = (await call<ListJson<LeadJson>>("GET", "/api/v1/leads?q=Closed", { key: ws.key })).json.data[0]!;
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${closed.id}`, { key: ws.key, body: { status: "won" } });

    await call("PUT", "/api/v1/scoring", {
      key: ws.key,
      body: { contact: { name: 0, email: 4, phone: 2 }, recency: [] },
    });
    const res = await call("POST", "/api/v1/scoring/rescore", { key: ws.key, body: {} });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ rescored: 1, truncated: false });

    const open = (
      await call<ListJson<LeadJson>>("GET", `/api/v1/leads?q=${encodeURIComponent(email)}`, { key: ws.key })
    ).json.data[0]!;
    // base 1 + email 4 + replied 5
    expect(open.score).toBe(10);
    expect(open.scoreReasons!.map((r: { rule: string }) => r.rule)).toEqual([
      "base",
      "contact.email",
      "engagement.replied",
    ]);
    const after = (await call<LeadDetailJson>("GET", `/api/v1/leads/${closed.id}`, { key: ws.key })).json.lead;
    expect(after.score).toBe(closed.score);
  });
});
