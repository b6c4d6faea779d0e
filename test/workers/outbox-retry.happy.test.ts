import { describe, expect, it } from "vitest";
import { captureLead } from "../../workers/domain/capture/capture-lead";
import {
  addTelegramChannel,
  domainContext,
  eventually,
  fakeCalls,
  outboxFor,
  scriptFake,
  tick,
  uniqueChatId,
} from "../support/workers/outbox-harness";

describe("outbox retries on time", () => {
  it("a 429 with retry_after goes again through the retry queue once that time passed, no cron tick", async () => {
    const { seedWorkspace } = await import("../support/workers/harness");
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, { autoReplyText: "Hi" });
    const chat = uniqueChatId();
    await scriptFake(chat, ["telegram_429_after_1s"]);
    const { lead } = await captureLead(
      { ctx: domainContext(), workspace: { id: ws.id, defaultCountry: "US" }, actor: { type: "prospect" } },
      { source: "telegram", telegramUserId: chat },
    );
    // The one tick: the first attempt, refused with retry_after 1. Everything after is the queue's doing.
    const refusedAt = Date.now();
    await tick(refusedAt);
    const [row] = await outboxFor(lead.id);
    expect(row).toMatchObject({ state: "pending", attempts: 1 });
    expect(Number(row!.due_at) - refusedAt).toBeGreaterThanOrEqual(1000);
    expect(Number(row!.due_at) - refusedAt).toBeLessThan(60_000);

    // Bounded by a count of polls (100 × 100 ms), not by a deadline on the retry itself.
    const calls = await eventually(async () => {
      const seen = await fakeCalls(chat);
      expect(seen.map((c) => c.answered)).toEqual([429, 200]);
      return seen;
    }, 100);
    expect(calls).toHaveLength(2);
    const sentAt = Date.now();
    expect(sentAt - refusedAt).toBeGreaterThanOrEqual(1000);
    expect((await outboxFor(lead.id))[0]).toMatchObject({ state: "sent", attempts: 2 });
  });
});
