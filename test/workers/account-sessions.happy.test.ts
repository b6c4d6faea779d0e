import { describe, expect, it } from "vitest";
import type { FormJson } from "../support/response-json";
import { call, dashboardSession, seedWorkspace } from "../support/workers/harness";

const consolePost = (path: string, cookie: string) =>
  call("POST", path, {
    rawBody: "",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://leadrelay.test", cookie },
  });

const sessionIds = (html: string) =>
  [...html.matchAll(/action="\/app\/sessions\/([0-9a-f]+)\/end"/g)].map((m) => m[1]!);

describe("account page: the person's sessions, each of which can be ended", () => {
  it("lists live sessions with created and last-seen times, and ending one kills that cookie only", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const laptop = await dashboardSession(ws.key);
    const phone = await dashboardSession(ws.key);
    const page = await call("GET", "/app/account", { headers: { cookie: laptop.cookie } });
    expect(page.status).toBe(200);
    const ids = sessionIds(page.text);
    expect(ids).toHaveLength(2);
    expect(page.text.match(/<tr data-session>/g)).toHaveLength(2);
    expect(page.text).toContain("(this one)");
    expect(page.text.match(/<time datetime=/g)!.length).toBeGreaterThanOrEqual(4);

    // The row not marked "(this one)" on the laptop's page is the phone's.
    const rows = page.text.split("<tr data-session>").slice(1);
    const phoneId = sessionIds(rows.find((r) => !r.includes("(this one)"))!)[0]!;
    const ended = await consolePost(`/app/sessions/${phoneId}/end`, laptop.cookie);
    expect(ended.status).toBe(200);
    expect(ended.text).toContain("That session has ended");
    expect(sessionIds(ended.text)).toHaveLength(1);
    expect((await call("GET", "/app/account", { headers: { cookie: phone.cookie } })).status).toBe(401);
    expect((await call("GET", "/app/account", { headers: { cookie: laptop.cookie } })).status).toBe(200);

    // Ending it again, or a session of another workspace's person, is a 404 that changes nothing.
    expect((await consolePost(`/app/sessions/${phoneId}/end`, laptop.cookie)).status).toBe(404);
    const other = await seedWorkspace({ reps: [] });
    const stranger = await dashboardSession(other.key);
    const strangerId = sessionIds(
      (await call("GET", "/app/account", { headers: { cookie: stranger.cookie } })).text,
    )[0]!;
    expect((await consolePost(`/app/sessions/${strangerId}/end`, laptop.cookie)).status).toBe(404);
    expect((await call("GET", "/app/account", { headers: { cookie: stranger.cookie } })).status).toBe(200);

    // Ending one's own current session signs out here.
    const self = await consolePost(`/app/sessions/${sessionIds(ended.text)[0]}/end`, laptop.cookie);
    expect(self.status).toBe(303);
    expect(self.headers.get("location")).toBe("/app/login");
    expect((await call("GET", "/app/account", { headers: { cookie: laptop.cookie } })).status).toBe(401);
  });

  it("shows the owner an Activity section naming who changed what", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await call<FormJson>("PATCH", `/api/v1/forms/${ws.form.id}`, { key: ws.key, body: { name: "Renamed" } });
    const { cookie } = await dashboardSession(ws.key);
    const page = await call("GET", "/app/account", { headers: { cookie } });
    expect(page.text).toContain("<h2>Activity</h2>");
    const rows = page.text.split("<tr data-activity>").slice(1);
    expect(rows[0]).toContain("form.updated");
    expect(rows[0]).toMatch(/key “[^”]+”/);
  });

  it("pages through older activity in the console, without pointing at the API", async () => {
    const ws = await seedWorkspace({ reps: [] });
    for (let i = 0; i < 23; i++)
      await call<FormJson>("PATCH", `/api/v1/forms/${ws.form.id}`, { key: ws.key, body: { name: `Name ${i}` } });
    const { cookie } = await dashboardSession(ws.key);
    const first = await call("GET", "/app/account", { headers: { cookie } });
    expect(first.text).not.toContain("/api/v1");
    expect(first.text.split("<tr data-activity>")).toHaveLength(21);
    const older = /href="(\/app\/account\?activity=[^"#]+)#activity">Older activity/.exec(first.text)?.[1];
    expect(older).toBeDefined();
    const second = await call("GET", older!, { headers: { cookie } });
    // 23 form changes plus the sign-in's own audit entries, if any: the rest of them, none repeated.
    const rows = second.text.split("<tr data-activity>").slice(1);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.includes("form.updated"))).toHaveLength(3);
  });
});
