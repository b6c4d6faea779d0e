import { describe, expect, it } from "vitest";
import type { FormJson } from "../support/response-json";
import { call, dashboardSession, seedWorkspace } from "../support/workers/harness";
import { workspaceWithBot } from "../support/workers/telegram-harness";

const BASE = "https://leadrelay.test";

const signIn = async (key: string) => (await dashboardSession(key)).cookie;

const post = (path: string, cookie: string) =>
  call("POST", path, {
    rawBody: "",
    headers: { cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded" },
  });

describe("dashboard: rep invite links and channels", () => {
  it("creates a one-time Telegram invite link for a rep and lists the connected bot", async () => {
    const bot = await workspaceWithBot();
    const cookie = await signIn(bot.ws.key);
    const rep = bot.ws.reps[0]!;
    const res = await post(`/app/reps/${rep.id}/telegram-invite`, cookie);
    expect(res.status).toBe(200);
    const link = /data-invite-link>(https:\/\/t\.me\/[^<]+)</.exec(res.text)?.[1];
    expect(link).toMatch(/\?start=rep_[A-Za-z0-9]{32}$/);
    expect(res.text).toContain(rep.name);
    // A second link is a different one-time code.
    const again = /data-invite-link>([^<]+)</.exec(
      (await post(`/app/reps/${rep.id}/telegram-invite`, cookie)).text,
    )?.[1];
    expect(again).not.toBe(link);

    const channels = await call("GET", "/app/channels", { headers: { cookie } });
    expect(channels.status).toBe(200);
    expect(channels.text).toContain(`/hooks/telegram/${bot.channelId}`);
    expect(channels.text).not.toContain(bot.token);
    expect(channels.text).not.toContain(bot.secret);
  });

  it("no bot yet: says to connect one; another workspace's rep is not found; cross-site posts refused", async () => {
    const ws = await seedWorkspace();
    const other = await seedWorkspace();
    const cookie = await signIn(ws.key);
    const none = await post(`/app/reps/${ws.reps[0]!.id}/telegram-invite`, cookie);
    expect(none.status).toBe(409);
    expect(none.text).toContain("Connect a Telegram bot first");
    const foreign = await post(`/app/reps/${other.reps[0]!.id}/telegram-invite`, cookie);
    expect(foreign.status).toBe(404);
    expect(foreign.text).toContain("Rep not found");
    const crossSite = await call("POST", `/app/reps/${ws.reps[0]!.id}/telegram-invite`, {
      rawBody: "",
      headers: { cookie, origin: "https://evil.test", "content-type": "application/x-www-form-urlencoded" },
    });
    expect(crossSite.status).toBe(403);
    expect((await call("GET", "/app/channels", { headers: { cookie } })).text).toContain(
      "No Telegram bot connected yet.",
    );
    // The forms page shows each form's auto-reply.
    await call<FormJson>("PATCH", `/api/v1/forms/${ws.form.id}`, {
      key: ws.key,
      body: { autoReplyText: "Thanks {name}, we call back within the hour." },
    });
    expect((await call("GET", "/app/forms", { headers: { cookie } })).text).toContain(
      "Auto-reply: “Thanks {name}, we call back within the hour.”",
    );
  });
});
