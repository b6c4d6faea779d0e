import { describe, expect, it } from "vitest";
import type { createRepTelegramInvite } from "../../workers/domain/team/rep-invites";
import type { LeadCreatedJson } from "../support/response-json";
import { call, type ErrorBody, seedWorkspace } from "../support/workers/harness";
import { eventually, fakeCalls, uniqueChatId } from "../support/workers/outbox-harness";
import { connectBot, deliver, leadsOf, type TestBot, textFrom } from "../support/workers/telegram-harness";

/** The rep opens an invite of `bot` and starts it: linked through that bot. */
async function linkThrough(bot: TestBot, repId: string): Promise<string> {
  const invite = await call<RepInvite>("POST", `/api/v1/reps/${repId}/telegram-invite`, {
    key: bot.ws.key,
    body: { channelId: bot.channelId },
  });
  expect(invite.status).toBe(201);
  expect(invite.json.deepLink).toContain(`leaddesk_${bot.botId}_bot`);
  const chat = uniqueChatId();
  await deliver(bot, await textFrom(chat, `/start rep_${invite.json.code}`));
  return chat;
}

/** A rep's one-time Telegram link. */
type RepInvite = Awaited<ReturnType<typeof createRepTelegramInvite>>;

describe("telegram: reps linked through a second bot", () => {
  it("get their alerts from the bot they started, not the workspace's first bot", async () => {
    const ws = await seedWorkspace();
    const first = await connectBot(ws);
    const second = await connectBot(ws);
    const chats = [await linkThrough(second, ws.reps[0]!.id), await linkThrough(second, ws.reps[1]!.id)];

    const res = await call<LeadCreatedJson>("POST", "/api/v1/leads", {
      key: ws.key,
      body: { email: `rep-bot-${Date.now()}@example.com`, name: "Ada" },
    });
    expect(res.status).toBe(201);
    const lead = (await leadsOf(ws.id)).find((l) => l.id === res.json.lead.id)!;
    const ownerChat = chats[ws.reps.findIndex((r) => r.id === lead.owner_rep_id)]!;
    const alert = await eventually(async () => {
      const found = (await fakeCalls(ownerChat)).find((c) => /New lead/.test(String(c.body.text)));
      if (!found) throw new Error("no alert yet");
      return found;
    });
    expect(alert.path).toBe(`/bot${second.token}/sendMessage`);
    expect(alert.answered).toBe(200);
    expect((await fakeCalls(ownerChat)).some((c) => c.path.startsWith(`/bot${first.token}/`))).toBe(false);

    // A bot of another workspace cannot be chosen for an invite.
    const stranger = await connectBot(await seedWorkspace());
    const foreign = await call<ErrorBody>("POST", `/api/v1/reps/${ws.reps[0]!.id}/telegram-invite`, {
      key: ws.key,
      body: { channelId: stranger.channelId },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.json.error.fields!.channelId).toBeDefined();
  });
});
