import { describe, expect, it } from "vitest";
import type { ListJson, RepJson } from "../support/response-json";
import { call, dashboardSession, type ErrorBody, seedWorkspace, submit, uniqueEmail } from "../support/workers/harness";

const BASE = "https://leadrelay.test";

describe("removing a rep", () => {
  it("removes a rep without open leads, refuses one who owns some, and never touches another workspace's", async () => {
    const ws = await seedWorkspace({ reps: ["Owner Of Leads"] });
    const other = await seedWorkspace();
    const [busy] = ws.reps;
    expect(
      (await submit(ws.form.publicKey, { name: "Open Lead", email: uniqueEmail(), _elapsed_ms: 5000 })).status,
    ).toBe(200);
    const idle = (await call<RepJson>("POST", "/api/v1/reps", { key: ws.key, body: { name: "Idle" } })).json;

    const refused = await call<ErrorBody>("DELETE", `/api/v1/reps/${busy!.id}`, { key: ws.key });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/open leads/);
    expect((await call("DELETE", `/api/v1/reps/${idle.id}`, { key: other.key })).status).toBe(404);
    expect((await call<RepJson>("GET", `/api/v1/reps/${idle.id}`, { key: ws.key })).status).toBe(200);

    // The console's remove button is the same verb.
    const { cookie } = await dashboardSession(ws.key);
    const form = { cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded" };
    const busyPage = await call("POST", `/app/reps/${busy!.id}/delete`, { rawBody: "", headers: form });
    expect(busyPage.status).toBe(409);
    expect(busyPage.text).toContain("still owns open leads");
    const gone = await call("POST", `/app/reps/${idle.id}/delete`, { rawBody: "", headers: form });
    expect(gone.status).toBe(303);
    expect((await call<RepJson>("GET", `/api/v1/reps/${idle.id}`, { key: ws.key })).status).toBe(404);
    expect((await call("DELETE", `/api/v1/reps/${idle.id}`, { key: ws.key })).status).toBe(404);
  });

  it("a console post with a bad value is refused next to its field and saves nothing", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const body = new URLSearchParams({
      name: "Zed",
      timezone: "Mars/Olympus",
      weight: "1",
      active: "on",
      alwaysOn: "on",
    });
    const res = await call("POST", "/app/reps", {
      rawBody: body.toString(),
      headers: { cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/data-error-for="timezone">Unknown IANA time zone\./);
    expect(
      ((await call<ListJson<RepJson>>("GET", "/api/v1/reps", { key: ws.key })).json.data as { name: string }[]).map(
        (r) => r.name,
      ),
    ).not.toContain("Zed");
  });
});
