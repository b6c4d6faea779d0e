import { describe, expect, it } from "vitest";
import { sendDueOutbox } from "../../workers/cron/send-due-outbox";
import { captureLead } from "../../workers/domain/capture/capture-lead";
import type { DomainContext } from "../../workers/domain/context";
import { newId } from "../../workers/lib/ids";
import { MAX_ATTEMPTS } from "../../workers/outbox/backoff";
import { claimWithContext, deliverClaimed } from "../../workers/outbox/deliver";
import { sendNow } from "../../workers/outbox/send-now";
import { createSenders } from "../../workers/outbox/senders";
import { seedWorkspace, testDb } from "../support/workers/harness";
import {
  addTelegramChannel,
  domainContext,
  fakeCalls,
  outboxFor,
  scriptFake,
  uniqueChatId,
} from "../support/workers/outbox-harness";

const MIN = 60_000;

interface RetryMessage {
  ids: string[];
  dueAt: number;
}

/** A context at a fixed time whose retry messages are recorded instead of queued (the test plays the queue). */
function at(now: number, messages: RetryMessage[] = []): DomainContext {
  return {
    ...domainContext(() => now),
    scheduleRetry: async (ids, dueAt) => {
      messages.push({ ids, dueAt });
    },
  };
}

/** One run of the cron job that sends due rows. */
async function sweep(ctx: DomainContext) {
  return sendDueOutbox.run({ ctx, senders: createSenders(ctx.config, ctx.channels) });
}

/** A prospect's first message to the bot: its auto-reply ("First") is pending, not yet sent. */
async function telegramLead(workspaceId: string, chat: string) {
  const { lead } = await captureLead(
    {
      ctx: domainContext(),
      workspace: { id: workspaceId, defaultCountry: "US" },
      actor: { type: "prospect" },
    },
    { source: "telegram", telegramUserId: chat, name: "Tess" },
  );
  return lead;
}

/** A later message about `leadId` to `chat` on the same bot, written after the rows before it. */
async function laterMessage(leadId: string, chat: string, text: string, now: number): Promise<string> {
  const id = newId("obx", now);
  await testDb().execute({
    sql: `INSERT INTO outbox (id, workspace_id, lead_id, kind, sender, channel_id, recipient, payload, idempotency_key,
            due_at, created_at, updated_at)
          SELECT :id, workspace_id, :lead, 'rep_reply', 'telegram', channel_id, :chat, :payload, 'test:' || :id,
            :now, :now, :now
          FROM outbox WHERE kind = 'auto_reply' AND recipient = :chat LIMIT 1`,
    args: { id, lead: leadId, chat, payload: JSON.stringify({ text }), now },
  });
  return id;
}

/** A workspace whose bot auto-replies "First", and a prospect who wrote to it (that reply pending). */
async function leadWithAutoReply() {
  const ws = await seedWorkspace();
  await addTelegramChannel(ws.id, { autoReplyText: "First" });
  const chat = uniqueChatId();
  return { ws, chat, lead: await telegramLead(ws.id, chat) };
}

const texts = async (chat: string) => (await fakeCalls(chat)).map((c) => `${c.body.text} ${c.answered}`);

describe("outbox: messages about one lead to one chat keep their order through retries", () => {
  it("a refused send holds the next message of its chain in the same run; both go together, in order", async () => {
    const { chat, lead } = await leadWithAutoReply();
    const t0 = Date.now() + MIN;
    const second = await laterMessage(lead.id, chat, "Second", t0);
    await scriptFake(chat, ["telegram_429"]); // retry_after 5

    const messages: RetryMessage[] = [];
    // The run's counts take in every workspace's due rows (the files share one database): what is checked is
    // this chain's rows, and that the run reports at least this hold.
    const run = await sweep(at(t0, messages));
    expect(run.held).toBeGreaterThanOrEqual(1);
    expect(await texts(chat)).toEqual(["First 429"]);
    const [first, held] = await outboxFor(lead.id);
    expect(first).toMatchObject({ state: "pending", attempts: 1, lease_until: null });
    // Not tried, so no attempt spent; due with the row it waits for.
    expect(held).toMatchObject({ id: second, state: "pending", attempts: 0, lease_until: null, due_at: first!.due_at });
    const retry = { ids: [first!.id, second], dueAt: Number(first!.due_at) };
    expect(messages).toContainEqual(retry);

    // Before the provider's time nothing goes; then the retry message sends both, in the order written.
    await sweep(at(t0 + 1_000));
    expect(await texts(chat)).toEqual(["First 429"]);
    await sendNow(at(retry.dueAt), retry.ids);
    expect(await texts(chat)).toEqual(["First 429", "First 200", "Second 200"]);
    expect((await outboxFor(lead.id)).map((r) => [r.state, Number(r.attempts)])).toEqual([
      ["sent", 2],
      ["sent", 1],
    ]);
  });

  it("a message written while an earlier one waits for its retry waits too, across sends and cron runs", async () => {
    const { ws, chat, lead } = await leadWithAutoReply();
    const other = await telegramLead(ws.id, uniqueChatId());
    const t0 = Date.now() + MIN;
    await scriptFake(chat, ["telegram_429"]);
    await sendNow(at(t0), [(await outboxFor(lead.id))[0]!.id]);
    expect(await texts(chat)).toEqual(["First 429"]);

    // Written after the refusal: its immediate send and the next cron run leave it, while the same chat still gets
    // a message about another lead (another chain) at once.
    const second = await laterMessage(lead.id, chat, "Second", t0 + 1_000);
    const unrelated = await laterMessage(other.id, chat, "About another lead", t0 + 1_000);
    await sendNow(at(t0 + 1_000), [second, unrelated]);
    await sweep(at(t0 + 2_000));
    expect(await texts(chat)).toEqual(["First 429", "About another lead 200"]);
    expect((await outboxFor(lead.id))[1]).toMatchObject({ id: second, state: "pending", attempts: 0 });

    // Once the first is due again one cron run sends both, first the one written first; nothing twice.
    await sweep(at(t0 + 2 * MIN));
    await sweep(at(t0 + 3 * MIN));
    expect(await texts(chat)).toEqual(["First 429", "About another lead 200", "First 200", "Second 200"]);
  });

  it("a message written while the earlier one is in flight goes out right after it, without a cron run", async () => {
    const { chat, lead } = await leadWithAutoReply();
    const t0 = Date.now() + MIN;
    const ctx = at(t0);
    const senders = createSenders(ctx.config, ctx.channels);
    // A run has claimed the first message and not sent it yet.
    const inFlight = await claimWithContext(ctx, ["telegram"], [(await outboxFor(lead.id))[0]!.id]);
    expect(inFlight.rows).toHaveLength(1);

    // The next one's own send finds it in flight and leaves it; the run that holds the first sends both, in order.
    const second = await laterMessage(lead.id, chat, "Second", t0);
    await sendNow(ctx, [second]);
    expect(await texts(chat)).toEqual([]);
    const report = await deliverClaimed(ctx, senders, inFlight.rows, inFlight.context);
    expect(report).toMatchObject({ sent: 2, retried: 0, held: 0 });
    expect(await texts(chat)).toEqual(["First 200", "Second 200"]);
    expect((await outboxFor(lead.id)).map((r) => [r.state, Number(r.attempts)])).toEqual([
      ["sent", 1],
      ["sent", 1],
    ]);
  });

  it("a message that finally fails lets the next one go", async () => {
    const { chat, lead } = await leadWithAutoReply();
    const t0 = Date.now() + MIN;
    const [first] = await outboxFor(lead.id);
    // Its last try comes next.
    await testDb().execute({
      sql: `UPDATE outbox SET attempts = ? WHERE id = ?`,
      args: [MAX_ATTEMPTS - 1, first!.id],
    });
    await laterMessage(lead.id, chat, "Second", t0);
    await scriptFake(chat, ["telegram_429"]);

    await sweep(at(t0));
    expect(await texts(chat)).toEqual(["First 429", "Second 200"]);
    expect((await outboxFor(lead.id)).map((r) => r.state)).toEqual(["dead", "sent"]);
  });
});
