import { describe, expect, it } from "vitest";
import type { PersonInvitedJson, WorkspaceJson } from "../support/response-json";
import { call, seedWorkspace } from "../support/workers/harness";
import { addTelegramChannel, eventually, fakeCalls, tick, uniqueChatId } from "../support/workers/outbox-harness";
import { addRep, captureLead as capture } from "../support/workers/routing-harness";

// Only the waiting-lead alerts: a person linked to a chat may also get their invite there.
const waitingAlerts = async (chat: string) =>
  (await fakeCalls(chat)).filter((c) => String(c.body.text).startsWith("Lead waiting"));

const person = async (key: string, role: "admin" | "rep", repId: string) => {
  const res = await call<PersonInvitedJson>("POST", "/api/v1/people", {
    key,
    body: { email: `${role}-${repId}@example.com`, name: `${role} person`, role, repId },
  });
  expect(res.status, res.text).toBe(201);
};

describe("a lead nobody can take", () => {
  it("alerts the owner and every admin with a chat, once each; a rep-role person is not told", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const [bossChat, adminChat, repChat] = [uniqueChatId(), uniqueChatId(), uniqueChatId()];
    await addRep(ws.key, { name: "Paused", paused: true });
    const boss = await addRep(ws.key, { name: "Boss", active: false, telegramChatId: bossChat });
    const adminRep = await addRep(ws.key, { name: "Admin", active: false, telegramChatId: adminChat });
    const plainRep = await addRep(ws.key, { name: "Plain", active: false, telegramChatId: repChat });
    await call<WorkspaceJson>("PATCH", "/api/v1/workspace", { key: ws.key, body: { ownerRepId: boss } });
    await person(ws.key, "admin", adminRep);
    await person(ws.key, "rep", plainRep);

    const lead = await capture(ws.key, { name: "Walt Waiting" });
    expect(lead.ownerRepId).toBeNull();
    for (const chat of [bossChat, adminChat]) {
      const calls = await eventually(async () => {
        const c = await waitingAlerts(chat);
        expect(c).toHaveLength(1);
        return c;
      });
      expect(String(calls[0]!.body.text)).toMatch(/^Lead waiting: nobody can take it now.*\nWalt Waiting/);
      expect(JSON.stringify(calls[0]!.body.reply_markup)).toContain(lead.id);
    }
    await tick(Date.now()); // the cron's drain finds nobody: no second alert to anyone
    expect(await waitingAlerts(bossChat)).toHaveLength(1);
    expect(await waitingAlerts(adminChat)).toHaveLength(1);
    expect(await waitingAlerts(repChat)).toHaveLength(0);
  });

  it("with no owner set, the admins alone are told", async () => {
    const ws = await seedWorkspace({ reps: [] });
    await addTelegramChannel(ws.id, {});
    const adminChat = uniqueChatId();
    await addRep(ws.key, { name: "Paused", paused: true });
    const adminRep = await addRep(ws.key, { name: "Admin", active: false, telegramChatId: adminChat });
    await person(ws.key, "admin", adminRep);
    const lead = await capture(ws.key, { name: "Nina Noowner" });
    expect(lead.ownerRepId).toBeNull();
    await eventually(async () => expect(await waitingAlerts(adminChat)).toHaveLength(1));
  });
});
