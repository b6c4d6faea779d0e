import { describe, expect, it } from "vitest";
import { localMinuteOfDay } from "../../workers/sequences/quiet-hours";
import type { LeadDetailJson, LeadJson, ListJson, OpenApiJson, SequenceJson } from "../support/response-json";
import { call, type ErrorBody, seedWorkspace, submit, uniqueEmail } from "../support/workers/harness";
import { enrollmentsFor, fakeCalls, tick } from "../support/workers/outbox-harness";

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The part of an OpenAPI object schema these tests read. */
type ObjectSchema = { properties: Record<string, { type?: string }>; required?: string[] };

async function leadByEmail(key: string, email: string) {
  const list = await call<ListJson<LeadJson>>("GET", `/api/v1/leads?q=${encodeURIComponent(email)}`, { key });
  return list.json.data[0]! as { id: string };
}

describe("follow-up sequences through the cron handler", () => {
  it("runs step by step with its delays, renders variables, and stops when the prospect replies", async () => {
    const ws = await seedWorkspace();
    const seq = await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: {
        name: "New form leads",
        formId: ws.form.id,
        quietStart: null, // the clock in this test is not about quiet hours
        quietEnd: null,
        steps: [
          {
            delayMinutes: 0,
            sender: "email",
            text: "Hi {name}, got your message on {form}.",
            subject: "Welcome {name}",
          },
          { delayMinutes: 60, sender: "email", text: "Still interested, {name}?" },
          { delayMinutes: 1440, sender: "email", text: "Last note from {rep_name}." },
        ],
      },
    });
    expect(seq.status).toBe(201);
    const email = uniqueEmail();
    await submit(ws.form.publicKey, { name: "Ada", email });
    const lead = await leadByEmail(ws.key, email);
    expect(await enrollmentsFor(lead.id)).toMatchObject([{ state: "active", next_position: 1 }]);
    const t0 = Date.now();

    await tick(t0 + MIN);
    let calls = await fakeCalls(email);
    expect(calls.map((c) => c.body)).toEqual([
      {
        from: "LeadRelay <hello@leadrelay.test>",
        to: email,
        subject: "Welcome Ada",
        text: "Hi Ada, got your message on Contact us.",
      },
    ]);
    await tick(t0 + 30 * MIN); // step 2 is not due yet
    expect(await fakeCalls(email)).toHaveLength(1);

    await tick(t0 + 62 * MIN);
    await tick(t0 + 63 * MIN); // an extra tick changes nothing
    calls = await fakeCalls(email);
    expect(calls.map((c) => c.body.text)).toEqual([
      "Hi Ada, got your message on Contact us.",
      "Still interested, Ada?",
    ]);
    expect(calls[1]!.body.subject).toBe("Following up, Ada");

    // The prospect writes again (a re-inquiry moves last_inbound_at): the last step never goes out.
    await submit(ws.form.publicKey, { name: "Ada", email, message: "Yes, call me" });
    await tick(t0 + 3 * 24 * HOUR);
    expect(await fakeCalls(email)).toHaveLength(2);
    expect(await enrollmentsFor(lead.id)).toMatchObject([
      { state: "stopped", stop_reason: "replied", next_position: 3 },
    ]);
  });

  it("stops when a rep takes over or the lead is closed", async () => {
    const ws = await seedWorkspace();
    await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: {
        name: "All",
        quietStart: null,
        quietEnd: null,
        steps: [{ delayMinutes: 10, sender: "email", text: "Hi" }],
      },
    });
    const a = uniqueEmail();
    const b = uniqueEmail();
    await submit(ws.form.publicKey, { name: "A", email: a });
    await submit(ws.form.publicKey, { name: "B", email: b });
    const leadA = await leadByEmail(ws.key, a);
    const leadB = await leadByEmail(ws.key, b);
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${leadA.id}`, { key: ws.key, body: { status: "contacted" } });
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${leadB.id}`, { key: ws.key, body: { status: "lost" } });
    await tick(Date.now() + 11 * MIN);
    expect(await fakeCalls(a)).toHaveLength(0);
    expect(await fakeCalls(b)).toHaveLength(0);
    expect((await enrollmentsFor(leadA.id))[0]).toMatchObject({ state: "stopped", stop_reason: "rep_took_over" });
    expect((await enrollmentsFor(leadB.id))[0]).toMatchObject({ state: "stopped", stop_reason: "closed" });
  });

  it("keeps sending after the prospect writes again when stop-on-reply is off, and stops when it is on", async () => {
    const ws = await seedWorkspace();
    const body = (name: string, stopOnReply: boolean) => ({
      name,
      stopOnReply,
      quietStart: null,
      quietEnd: null,
      steps: [
        { delayMinutes: 10, sender: "email", text: `${name} one` },
        { delayMinutes: 60, sender: "email", text: `${name} two` },
      ],
    });
    const off = await call<SequenceJson>("POST", "/api/v1/sequences", { key: ws.key, body: body("Off", false) });
    const on = await call<SequenceJson>("POST", "/api/v1/sequences", { key: ws.key, body: body("On", true) });
    expect([off.status, on.status]).toEqual([201, 201]);
    expect([off.json.stopOnReply, on.json.stopOnReply]).toEqual([false, true]);

    const email = uniqueEmail();
    await submit(ws.form.publicKey, { name: "Ada", email });
    const lead = await leadByEmail(ws.key, email);
    const t0 = Date.now();
    await tick(t0 + 11 * MIN);
    expect((await fakeCalls(email)).map((c) => c.body.text).sort()).toEqual(["Off one", "On one"]);

    // The prospect writes again: only the sequence that stops on a reply stops.
    await submit(ws.form.publicKey, { name: "Ada", email, message: "Thanks, tell me more" });
    await tick(t0 + 2 * HOUR);
    expect((await fakeCalls(email)).map((c) => c.body.text).sort()).toEqual(["Off one", "Off two", "On one"]);
    const bySequence = new Map(
      (await enrollmentsFor(lead.id)).map((e) => [e.sequence_id, { state: e.state, stop_reason: e.stop_reason }]),
    );
    expect(bySequence.get(off.json.id)).toEqual({ state: "done", stop_reason: null });
    expect(bySequence.get(on.json.id)).toEqual({ state: "stopped", stop_reason: "replied" });
  });

  it("holds a step that falls due at night until the end of quiet hours in the workspace time zone", async () => {
    const ws = await seedWorkspace(); // time zone America/New_York
    await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: ws.key,
      // default 21:00–08:00
      body: { name: "Night", steps: [{ delayMinutes: 0, sender: "email", text: "Good morning {name}" }] },
    });
    const email = uniqueEmail();
    await submit(ws.form.publicKey, { name: "Nia", email });
    const lead = await leadByEmail(ws.key, email);

    // Tomorrow (UTC) at 03:30 UTC is 22:30 or 23:30 in New York: inside quiet hours.
    const night = new Date(Date.now() + 24 * HOUR);
    night.setUTCHours(3, 30, 0, 0);
    const at = night.getTime();
    expect(localMinuteOfDay(at, "America/New_York")).toBeGreaterThanOrEqual(21 * 60);

    await tick(at);
    await tick(at + 2 * HOUR);
    expect(await fakeCalls(email)).toHaveLength(0);
    const [enrollment] = await enrollmentsFor(lead.id);
    expect(localMinuteOfDay(enrollment!.next_due_at, "America/New_York")).toBe(8 * 60);

    await tick(enrollment!.next_due_at);
    const calls = await fakeCalls(email);
    expect(calls.map((c) => c.body.text)).toEqual(["Good morning Nia"]);
    expect((await enrollmentsFor(lead.id))[0]).toMatchObject({ state: "done" });
  });
});

describe("sequences API", () => {
  it("creates, reads, replaces steps, lists and deletes, scoped to the workspace", async () => {
    const ws = await seedWorkspace();
    const other = await seedWorkspace();
    const created = await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: {
        name: "WhatsApp nudges",
        source: "whatsapp",
        steps: [{ delayMinutes: 5, sender: "whatsapp", text: "Hi {name}", template: "follow_up_1" }],
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: "WhatsApp nudges",
      source: "whatsapp",
      active: true,
      quietStart: "21:00",
      quietEnd: "08:00",
      stopOnReply: true,
      stopOnRepResponse: true,
    });
    expect(created.json.steps).toMatchObject([
      { position: 1, delayMinutes: 5, sender: "whatsapp", template: "follow_up_1" },
    ]);
    const id = created.json.id;

    const patched = await call<SequenceJson>("PATCH", `/api/v1/sequences/${id}`, {
      key: ws.key,
      body: {
        active: false,
        steps: [
          { delayMinutes: 0, sender: "email", text: "A" },
          { delayMinutes: 60, sender: "telegram", text: "B" },
        ],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.active).toBe(false);
    // The stop settings change on their own; a PATCH without them leaves them as they were.
    const stops = await call<SequenceJson>("PATCH", `/api/v1/sequences/${id}`, {
      key: ws.key,
      body: { stopOnReply: false },
    });
    expect(stops.status).toBe(200);
    expect(stops.json).toMatchObject({ stopOnReply: false, stopOnRepResponse: true, active: false });
    await call("PATCH", `/api/v1/sequences/${id}`, { key: ws.key, body: { stopOnRepResponse: false } });
    expect((await call<SequenceJson>("GET", `/api/v1/sequences/${id}`, { key: ws.key })).json).toMatchObject({
      stopOnReply: false,
      stopOnRepResponse: false,
    });
    const listed = (await call<ListJson<SequenceJson>>("GET", "/api/v1/sequences", { key: ws.key })).json.data;
    expect(listed[0]).toMatchObject({ id, stopOnReply: false, stopOnRepResponse: false });
    expect(patched.json.steps.map((s) => [s.position, s.text])).toEqual([
      [1, "A"],
      [2, "B"],
    ]);
    expect((await call<ListJson<SequenceJson>>("GET", "/api/v1/sequences", { key: ws.key })).json.data).toHaveLength(1);

    // Steps one by one: append, edit, remove (later steps move up).
    const added = await call<SequenceJson>("POST", `/api/v1/sequences/${id}/steps`, {
      key: ws.key,
      body: { delayMinutes: 120, sender: "email", text: "C" },
    });
    expect(added.status).toBe(201);
    expect(added.json.steps.map((s) => [s.position, s.text])).toEqual([
      [1, "A"],
      [2, "B"],
      [3, "C"],
    ]);
    const edited = await call<SequenceJson>("PATCH", `/api/v1/sequences/${id}/steps/2`, {
      key: ws.key,
      body: { text: "B2", delayMinutes: 30 },
    });
    expect(edited.json.steps[1]).toMatchObject({ position: 2, text: "B2", delayMinutes: 30, sender: "telegram" });
    const removed = await call<SequenceJson>("DELETE", `/api/v1/sequences/${id}/steps/1`, { key: ws.key });
    expect(removed.json.steps.map((s) => [s.position, s.text])).toEqual([
      [1, "B2"],
      [2, "C"],
    ]);
    expect(
      (await call<SequenceJson>("PATCH", `/api/v1/sequences/${id}/steps/9`, { key: ws.key, body: { text: "x" } }))
        .status,
    ).toBe(404);
    expect(
      (
        await call<SequenceJson>("POST", `/api/v1/sequences/${id}/steps`, {
          key: other.key,
          body: { delayMinutes: 1, sender: "email", text: "x" },
        })
      ).status,
    ).toBe(404);

    expect((await call<SequenceJson>("GET", `/api/v1/sequences/${id}`, { key: other.key })).status).toBe(404);
    expect((await call("DELETE", `/api/v1/sequences/${id}`, { key: other.key })).status).toBe(404);
    expect((await call("DELETE", `/api/v1/sequences/${id}`, { key: ws.key })).status).toBe(204);
    expect((await call<SequenceJson>("GET", `/api/v1/sequences/${id}`, { key: ws.key })).status).toBe(404);
  });

  it("rejects bad input with the one error shape", async () => {
    const ws = await seedWorkspace();
    const other = await seedWorkspace();
    const noText = await call<ErrorBody>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: { name: "X", steps: [{ delayMinutes: 1, sender: "email" }] },
    });
    expect(noText.status).toBe(422);
    expect(noText.json.error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { "steps.0.text": expect.any(String) },
    });
    const badTime = await call<ErrorBody>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: { name: "X", quietStart: "25:00", steps: [{ delayMinutes: 1, sender: "email", text: "x" }] },
    });
    expect(badTime.status).toBe(422);
    expect(badTime.json.error.fields).toHaveProperty("quietStart");
    const foreignForm = await call<ErrorBody>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: { name: "X", formId: other.form.id, steps: [{ delayMinutes: 1, sender: "email", text: "x" }] },
    });
    expect(foreignForm.status).toBe(422);
    expect(foreignForm.json.error.fields).toHaveProperty("formId");
    const badStop = await call<ErrorBody>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: { name: "X", stopOnReply: "no", steps: [{ delayMinutes: 1, sender: "email", text: "x" }] },
    });
    expect(badStop.status).toBe(422);
    expect(Object.keys(badStop.json.error.fields ?? {})).toEqual(["stopOnReply"]);
    const seq = await call<SequenceJson>("POST", "/api/v1/sequences", {
      key: ws.key,
      body: { name: "Y", steps: [{ delayMinutes: 1, sender: "email", text: "x" }] },
    });
    const badPatch = await call<ErrorBody>("PATCH", `/api/v1/sequences/${seq.json.id}`, {
      key: ws.key,
      body: { stopOnRepResponse: 1 },
    });
    expect(badPatch.status).toBe(422);
    expect(Object.keys(badPatch.json.error.fields ?? {})).toEqual(["stopOnRepResponse"]);

    // The OpenAPI document follows the schema: both settings in the input and in the answer.
    const doc = (await call<OpenApiJson>("GET", "/api/openapi.json")).json;
    const input = doc.paths["/api/v1/sequences"]!.post!.requestBody!.content!["application/json"]!
      .schema as ObjectSchema;
    expect(input.properties.stopOnReply).toMatchObject({ type: "boolean" });
    expect(input.properties.stopOnRepResponse).toMatchObject({ type: "boolean" });
    expect(input.required).not.toContain("stopOnReply");
    expect((doc.components.schemas.Sequence as ObjectSchema).required).toEqual(
      expect.arrayContaining(["stopOnReply", "stopOnRepResponse"]),
    );
    expect(
      (await call<SequenceJson>("GET", `/api/v1/sequences/${seq.json.id}`, { key: ws.key })).json.stopOnRepResponse,
    ).toBe(true);
  });
});
