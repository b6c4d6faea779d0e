import { describe, expect, it } from "vitest";
import type { LeadDetailJson, LeadJson, ListJson } from "../support/response-json";
import {
  call,
  countRows,
  libsqlRequests,
  seedWorkspace,
  submit,
  testDb,
  uniqueEmail,
} from "../support/workers/harness";

describe("public form capture", () => {
  it("creates a lead with normalized contact, attribution and a created event", async () => {
    const ws = await seedWorkspace();
    const res = await submit(
      ws.form.publicKey,
      {
        name: "  Grace Hopper ",
        email: "Grace@Example.COM",
        phone: "(415) 555-0132",
        message: "Need a quote for 20 seats",
        page_url: "https://acme.test/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring",
        referrer: "https://www.google.com/",
      },
      { origin: "https://acme.test" },
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, message: "Thanks! We will be in touch shortly.", redirectUrl: null });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://acme.test");

    const list = await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key });
    expect(list.status).toBe(200);
    expect(list.json.data).toHaveLength(1);
    const lead = list.json.data[0]!;
    expect(lead).toMatchObject({
      source: "form",
      status: "new",
      formId: ws.form.id,
      name: "Grace Hopper",
      email: "grace@example.com",
      phone: "+14155550132",
      message: "Need a quote for 20 seats",
      utmSource: "google",
      utmMedium: "cpc",
      utmCampaign: "spring",
      referrer: "https://www.google.com/",
      pageUrl: "https://acme.test/pricing?utm_source=google&utm_medium=cpc&utm_campaign=spring",
    });
    const detail = await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key });
    expect(detail.json.events.map((e: { type: string }) => e.type)).toEqual(["created", "assigned"]);
    expect(ws.reps.map((r) => r.id)).toContain(lead.ownerRepId);
    expect(detail.json.events[0]).toMatchObject({ actorType: "prospect", data: { phoneAsTyped: "(415) 555-0132" } });
  });

  it("dedups by phone: the same number posted again is one lead with a re-inquiry event", async () => {
    const ws = await seedWorkspace();
    expect((await submit(ws.form.publicKey, { name: "Ada", phone: "415-555-0101", message: "first" })).status).toBe(
      200,
    );
    expect(
      (
        await submit(ws.form.publicKey, {
          name: "Ada L.",
          phone: "+1 415 555 0101",
          email: "ada@example.com",
          message: "second",
        })
      ).status,
    ).toBe(200);

    const list = await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key });
    expect(list.json.data).toHaveLength(1);
    const lead = list.json.data[0]!;
    // First-touch name kept, the missing email filled in from the re-inquiry.
    expect(lead).toMatchObject({ name: "Ada", phone: "+14155550101", email: "ada@example.com", message: "first" });
    const detail = await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: ws.key });
    // The returning lead stays with its (available) owner: no second assignment.
    expect(detail.json.events.map((e: { type: string }) => e.type)).toEqual(["created", "assigned", "re-inquiry"]);
    expect(detail.json.events[2]!.data.message).toBe("second");
  });

  it("dedups by email regardless of case, and keeps separate leads for separate people", async () => {
    const ws = await seedWorkspace();
    const email = uniqueEmail();
    await submit(ws.form.publicKey, { name: "X", email });
    await submit(ws.form.publicKey, { name: "X", email: email.toUpperCase() });
    await submit(ws.form.publicKey, { name: "Y", email: uniqueEmail() });
    const db = testDb();
    expect(await countRows(db, "lead", ws.id)).toBe(2);
    // created + assigned for each person, one re-inquiry.
    expect(await countRows(db, "lead_event", ws.id)).toBe(5);
  });

  it("accepts application/x-www-form-urlencoded, and answers a plain HTML post with a page", async () => {
    const ws = await seedWorkspace();
    const res = await call("POST", `/f/${ws.form.publicKey}`, {
      rawBody: new URLSearchParams({ name: "Linus", email: "linus@example.org", utm_source: "newsletter" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html,application/xhtml+xml" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.text).toContain("Thanks! We will be in touch shortly.");
    const list = await call<ListJson<LeadJson>>("GET", "/api/v1/leads?source=form", { key: ws.key });
    expect(list.json.data[0]).toMatchObject({ email: "linus@example.org", utmSource: "newsletter" });
  });

  it("redirects a plain HTML post when the form has a redirect URL", async () => {
    const ws = await seedWorkspace({ form: { redirectUrl: "https://acme.test/thanks" } });
    const res = await call("POST", `/f/${ws.form.publicKey}`, {
      rawBody: "name=Kay&email=kay%40example.org",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("https://acme.test/thanks");
  });

  it("drops honeypot submissions silently: same answer, nothing stored", async () => {
    const ws = await seedWorkspace();
    const res = await submit(ws.form.publicKey, {
      name: "Bot",
      email: uniqueEmail(),
      company_website: "http://spam.example",
    });
    expect(res.status).toBe(200);
    expect(res.json.ok).toBe(true);
    expect(await countRows(testDb(), "lead", ws.id)).toBe(0);
  });

  it("applies the form's own field rules and stores custom answers", async () => {
    const ws = await seedWorkspace({
      form: {
        fields: [
          { name: "name", label: "Name", type: "text", required: true },
          { name: "phone", label: "Phone", type: "tel", required: true },
          { name: "budget", label: "Budget", type: "select", options: ["<1k", "1k-10k", ">10k"], required: true },
          { name: "seats", label: "Seats", type: "number" },
        ],
      },
    });
    const res = await submit(ws.form.publicKey, { name: "Bo", phone: "+44 20 7946 0958", budget: ">10k", seats: 25 });
    expect(res.status).toBe(200);
    const list = await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key });
    expect(list.json.data[0]).toMatchObject({ phone: "+442079460958", fields: { budget: ">10k", seats: "25" } });
  });

  it("reads national numbers in the workspace's default country", async () => {
    const ws = await seedWorkspace({ defaultCountry: "DE" });
    await submit(ws.form.publicKey, { name: "Jens", phone: "030 901820" });
    const list = await call<ListJson<LeadJson>>("GET", "/api/v1/leads", { key: ws.key });
    expect(list.json.data[0]!.phone).toBe("+4930901820");
  });

  it("answers CORS preflights for allowed origins only", async () => {
    const ws = await seedWorkspace({ form: { allowedOrigins: ["https://acme.test"] } });
    const ok = await call("OPTIONS", `/f/${ws.form.publicKey}`, {
      headers: { origin: "https://acme.test", "access-control-request-method": "POST" },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://acme.test");
    expect(ok.headers.get("access-control-allow-methods")).toContain("POST");
    const denied = await call("OPTIONS", `/f/${ws.form.publicKey}`, { headers: { origin: "https://evil.test" } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("costs one libSQL request per new lead once the form and routing are cached: the write batch", async () => {
    const ws = await seedWorkspace();
    await submit(ws.form.publicKey, { name: "warm", email: uniqueEmail() });
    const n = 5;
    const requests = await libsqlRequests(async () => {
      for (let i = 0; i < n; i++) {
        expect((await submit(ws.form.publicKey, { name: `p${i}`, email: uniqueEmail() })).status).toBe(200);
      }
    });
    expect(requests).toBe(n);
  });
});
