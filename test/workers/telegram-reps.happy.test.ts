import { describe, expect, it } from "vitest";
import type { LeadCreatedJson, LeadDetailJson, RepJson, WorkspaceJson } from "../support/response-json";
import { call, testDb } from "../support/workers/harness";
import { eventually, fakeCalls, tick } from "../support/workers/outbox-harness";
import {
  connectBot,
  deliver,
  eventsOf,
  fixtureUpdate,
  leadsOf,
  leadWithAlert,
  linkBothReps,
  nextUpdateId,
  outboxOf,
  retarget,
  sentTo,
  textFrom,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";

const replyTo = (messageId: number, chat: string) => ({
  reply_to_message: { message_id: messageId, date: 0, chat: { id: Number(chat), type: "private" } },
});

const buttonsOf = (body: Record<string, any>) =>
  (body.reply_markup?.inline_keyboard ?? []).flat().map((b: any) => b.callback_data);

describe("telegram: /note", () => {
  it("as a reply to an alert: a note event on that lead by the rep, confirmed", async () => {
    const bot = await workspaceWithBot();
    const { lead, ownerChat, alertMessageId } = await leadWithAlert(bot);
    await deliver(bot, await textFrom(ownerChat, "/note wants a call after 5pm", replyTo(alertMessageId, ownerChat)));
    const note = (await eventsOf(lead.id)).find((e) => e.type === "note");
    expect(note).toMatchObject({ actor_type: "rep", actor_id: lead.owner_rep_id });
    expect(JSON.parse(note!.data)).toEqual({ notes: "wants a call after 5pm", via: "telegram" });
    expect((await sentTo(ownerChat, 2)).at(-1)!.body.text).toBe(`Noted on Mira Solberg (${lead.id}).`);
    // The owner sees it on the lead's timeline.
    const timeline = await call<LeadDetailJson>("GET", `/api/v1/leads/${lead.id}`, { key: bot.ws.key });
    expect(timeline.json.events.find((e) => e.type === "note")!.data.notes).toBe("wants a call after 5pm");
  });

  it("without a reply or without text → how to use it; nothing written", async () => {
    const bot = await workspaceWithBot();
    const { lead, ownerChat, alertMessageId } = await leadWithAlert(bot);
    await deliver(bot, await textFrom(ownerChat, "/note forgot to reply"));
    await deliver(bot, await textFrom(ownerChat, "/note", replyTo(alertMessageId, ownerChat)));
    const answers = (await sentTo(ownerChat, 3)).slice(1).map((c) => c.body.text);
    expect(answers).toHaveLength(2);
    for (const a of answers) expect(a).toMatch(/^To note something on a lead, reply to its alert/);
    expect((await eventsOf(lead.id)).some((e) => e.type === "note")).toBe(false);
  });

  it("only leads alerted to this chat: a reply to another's alert or a prospect's /note notes nothing", async () => {
    const bot = await workspaceWithBot();
    const { reps, lead, ownerChat, alertMessageId } = await leadWithAlert(bot);
    const other = reps.otherThan(lead.owner_rep_id);
    await deliver(bot, await textFrom(other, "/note sneaky", replyTo(alertMessageId, other)));
    expect((await sentTo(other, 1)).at(-1)!.body.text).toMatch(/^That message is not one of your lead alerts/);
    const prospect = lead.telegram_user_id as string;
    await deliver(bot, await textFrom(prospect, "/note me too", replyTo(alertMessageId, prospect)));
    expect((await eventsOf(lead.id)).some((e) => e.type === "note")).toBe(false);
    expect(ownerChat).not.toBe(other);
  });
});

describe("telegram: /stats", () => {
  it("the rep's own numbers in their workspace", async () => {
    const bot = await workspaceWithBot();
    const { lead, ownerChat, alertMessageId } = await leadWithAlert(bot);
    // The owner answers (first response), then wins the lead.
    const answer = await textFrom(ownerChat, "Hello! Calling you in 5.", replyTo(alertMessageId, ownerChat));
    await deliver(bot, answer);
    await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, { key: bot.ws.key, body: { status: "won" } });
    // A second lead of the owner, still open.
    await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: bot.ws.key,
      body: { email: `x${Date.now()}@example.com` },
    });
    await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: bot.ws.key,
      body: { email: `y${Date.now()}@example.com` },
    });
    const mine = (await leadsOf(bot.ws.id)).filter((l) => l.owner_rep_id === lead.owner_rep_id);
    const open = mine.filter((l) => ["new", "contacted", "qualified"].includes(l.status)).length;

    await deliver(bot, await textFrom(ownerChat, "/stats"));
    const text = (await eventually(async () => {
      const calls = (await fakeCalls(ownerChat)).filter((c) => /^Your numbers/.test(c.body.text ?? ""));
      expect(calls).toHaveLength(1);
      return calls[0]!.body.text;
    })) as string;
    expect(text).toContain("(weeks start Monday, America/New_York)");
    expect(text).toContain(`Open leads: ${open}`);
    expect(text).toContain(`New today: ${mine.length} \u00b7 this week: ${mine.length}`);
    expect(text).toContain("Won this week: 1");
    expect(text).toMatch(/Median first response this week: \d+ s \(1 lead\)/);
  });
});

describe("telegram: alerts on reassignment carry the buttons", () => {
  it("Pass hands the lead to the next rep, whose alert has the same buttons", async () => {
    const bot = await workspaceWithBot();
    const { reps, lead, ownerChat } = await leadWithAlert(bot);
    const tap = retarget(await fixtureUpdate("callback_query"), ownerChat, nextUpdateId());
    tap.callback_query.data = `l:pass:${lead.id}`;
    await deliver(bot, tap);
    const next = reps.otherThan(lead.owner_rep_id);
    const [alert] = await sentTo(next, 1);
    expect(alert!.body.text).toMatch(/^Lead passed on by its owner — now yours\nMira Solberg \(telegram\)/);
    expect(buttonsOf(alert!.body)).toEqual(
      ["claim", "contacted", "qualified", "won", "lost", "snooze", "pass"].map((a) => `l:${a}:${lead.id}`),
    );
    // The new owner's tap works from that alert.
    const claim = retarget(await fixtureUpdate("callback_query"), next, nextUpdateId());
    claim.callback_query.data = `l:claim:${lead.id}`;
    await deliver(bot, claim);
    expect((await leadsOf(bot.ws.id))[0]!.claimed_at).not.toBeNull();
  });

  it("the SLA sweep's reassignment and the owner's manual assignment alert with the buttons too", async () => {
    const bot = await workspaceWithBot();
    const { reps, lead } = await leadWithAlert(bot);
    // Only this workspace's deadline is due (the sweep takes the oldest 50 of all workspaces).
    await testDb().execute({
      sql: `UPDATE lead SET sla_due_at = NULL WHERE workspace_id <> ? AND sla_due_at IS NOT NULL`,
      args: [bot.ws.id],
    });
    await tick(Number(lead.sla_due_at) + 60_000);
    const next = reps.otherThan(lead.owner_rep_id);
    const swept = (await sentTo(next, 1))[0]!.body;
    expect(swept.text).toMatch(/^Lead not picked up in time — now yours/);
    expect(buttonsOf(swept)).toContain(`l:claim:${lead.id}`);

    // Back to the first rep by the owner: alerted again, with buttons.
    const assigned = await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/assign`, {
      key: bot.ws.key,
      body: { repId: lead.owner_rep_id },
    });
    expect(assigned.status).toBe(200);
    const back = (await sentTo(reps.chatOf(lead.owner_rep_id), 2)).at(-1)!.body;
    expect(back.text).toMatch(/^Lead reassigned by the owner — now yours/);
    expect(buttonsOf(back)).toContain(`l:won:${lead.id}`);
    // And by PATCH ownerRepId.
    const otherRep = bot.ws.reps.find((r) => r.id !== lead.owner_rep_id)!.id;
    expect(
      (
        await call<LeadDetailJson>("PATCH", `/api/v1/leads/${lead.id}`, {
          key: bot.ws.key,
          body: { ownerRepId: otherRep },
        })
      ).status,
    ).toBe(200);
    expect(buttonsOf((await sentTo(next, 2)).at(-1)!.body)).toContain(`l:pass:${lead.id}`);
    const alerts = (await outboxOf(bot.ws.id)).filter((o) => o.kind === "rep_alert");
    expect(alerts).toHaveLength(4);
  });

  it("an escalation to the workspace owner carries the buttons", async () => {
    const bot = await workspaceWithBot();
    const { lead, ownerChat } = await leadWithAlert(bot);
    // Nobody else can take it (the other rep is paused): passing escalates to the workspace owner rep.
    const other = bot.ws.reps.find((r) => r.id !== lead.owner_rep_id)!;
    await call<RepJson>("PATCH", `/api/v1/reps/${other.id}`, { key: bot.ws.key, body: { paused: true } });
    await call<WorkspaceJson>("PATCH", "/api/v1/workspace", { key: bot.ws.key, body: { ownerRepId: other.id } });
    const tap = retarget(await fixtureUpdate("callback_query"), ownerChat, nextUpdateId());
    tap.callback_query.data = `l:pass:${lead.id}`;
    await deliver(bot, tap);
    const escalation = (await outboxOf(bot.ws.id)).find((o) => o.kind === "escalation");
    expect(escalation).toBeDefined();
    // The row stores neutral actions; the Telegram sender renders them as this keyboard.
    expect(JSON.parse(escalation!.payload).actions).toEqual({ leadId: lead.id });
    const sent = await eventually(async () => {
      const text = JSON.parse(escalation!.payload).text;
      const found = (await fakeCalls(String(escalation!.recipient))).find((c) => c.body.text === text);
      if (!found) throw new Error("escalation not sent yet");
      return found;
    });
    expect(buttonsOf(sent.body)).toContain(`l:claim:${lead.id}`);
  });
});

describe("telegram: two bots in one workspace", () => {
  it("one update id on two bots is two updates; prospects answered by their bot, reps by the first", async () => {
    const first = await workspaceWithBot({ autoReplyText: "Hi from the first bot" });
    const second = await connectBot(first.ws, { autoReplyText: "Hi from the second bot" });
    const reps = await linkBothReps(first);
    // Telegram counts update ids per bot: both bots may send update n.
    const id = nextUpdateId();
    const [a, b] = [uniqueChatId(), uniqueChatId()];
    await deliver(first, retarget(await fixtureUpdate("start_deeplink"), a, id));
    await deliver(second, retarget(await fixtureUpdate("start_deeplink"), b, id));
    const leads = await leadsOf(first.ws.id);
    expect(leads.map((l) => l.telegram_user_id).sort()).toEqual([a, b].sort());
    const leadB = leads.find((l) => l.telegram_user_id === b)!;

    const viaBot = (c: { path: string }) => c.path.split("/")[1]!.slice(3).split(":")[0];
    const toB = await sentTo(b, 2);
    expect(toB.map(viaBot)).toEqual([second.botId, second.botId]);
    expect(toB.map((c) => c.body.text)).toContain("Hi from the second bot");
    // The owner's alert comes from the first bot (where reps are linked); their reply reaches B through the second.
    const ownerChat = reps.chatOf(leadB.owner_rep_id);
    const alert = (await sentTo(ownerChat, 1)).find((c) => c.body.text.includes("New lead"))!;
    expect(viaBot(alert)).toBe(first.botId);
    const alertId = await eventually(async () => {
      const rs = await testDb().execute({
        sql: `SELECT provider_message_id FROM outbox WHERE lead_id = ? AND kind = 'rep_alert' AND state = 'sent'`,
        args: [leadB.id],
      });
      expect(rs.rows).toHaveLength(1);
      return Number(rs.rows[0]!.provider_message_id);
    });
    await deliver(first, await textFrom(ownerChat, "Hello from your rep", replyTo(alertId, ownerChat)));
    const reply = (await sentTo(b, 3)).at(-1)!;
    expect(reply.body.text).toBe("Hello from your rep");
    expect(viaBot(reply)).toBe(second.botId);
  });
});
