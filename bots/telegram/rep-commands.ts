import { Composer } from "grammy";
import { addLeadNote } from "../../workers/domain/leads/lead-notes";
import { listLeads } from "../../workers/domain/leads/leads";
import { type RepNumbers, repStats } from "../../workers/domain/reports/rep-stats";
import { updateRep } from "../../workers/domain/team/reps";
import type { BotContext } from "./context";
import { eventKey, outboxInsert, updateKey } from "./outbox-reply";
import { queue } from "./queue";
import { repliedLead } from "./replied-lead";

const OPEN_LIMIT = 20;

const NOTE_USAGE =
  "To note something on a lead, reply to its alert (or to a message relayed from it) with /note and your text, " +
  "e.g. \u201c/note wants a call after 5pm\u201d.";

/** "35 s", "4 min", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ""}`;
}

export function statsText(n: RepNumbers): string {
  return [
    `Your numbers (weeks start Monday, ${n.timeZone}):`,
    `Open leads: ${n.open}`,
    `New today: ${n.newToday} \u00b7 this week: ${n.newThisWeek}`,
    `Won this week: ${n.wonThisWeek}`,
    n.medianFirstResponseMs === null
      ? "First response this week: none yet"
      : `Median first response this week: ${formatDuration(n.medianFirstResponseMs)} (${n.answeredThisWeek} ` +
        `lead${n.answeredThisWeek === 1 ? "" : "s"})`,
  ].join("\n");
}

/**
 * A linked rep's commands in their private chat: `/pause`, `/resume` (out of / back into rotation),
 * `/leads` (their open leads), `/note <text>` (as a reply to an alert: a note on that lead), `/stats`.
 */
export function repCommandsComposer() {
  const composer = new Composer<BotContext>();
  const rep = composer.chatType("private").filter((ctx) => ctx.rep !== null);

  const answer = (ctx: BotContext & { chat: { id: number } }, text: string) =>
    queue(ctx.deps, [
      outboxInsert(ctx.deps, {
        kind: "bot_reply",
        chatId: ctx.chat.id,
        key: updateKey(ctx.deps, ctx.update.update_id, 0),
        text,
      }),
    ]);

  for (const [command, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    rep.command(command, async (ctx) => {
      const { deps } = ctx;
      await updateRep({ ctx: deps.ctx, workspace: deps.workspace }, ctx.rep!.id, { paused });
      await answer(
        ctx,
        paused ? "Paused: you get no new leads until /resume." : "Back in the rotation: new leads will come to you.",
      );
    });
  }

  rep.command("leads", async (ctx) => {
    const { deps } = ctx;
    const { data } = await listLeads(
      { ctx: deps.ctx, workspace: deps.workspace },
      { owner: ctx.rep!.id, status: ["new", "contacted", "qualified"], limit: OPEN_LIMIT },
    );
    const lines = data.map(
      (l) => `\u2022 ${l.name ?? "no name"} \u00b7 ${l.status}${l.phone ? ` \u00b7 ${l.phone}` : ""} (${l.id})`,
    );
    await answer(
      ctx,
      lines.length ? `Your open leads (newest first):\n${lines.join("\n")}` : "You have no open leads.",
    );
  });

  rep.command("note", async (ctx) => {
    const { deps } = ctx;
    const text = ctx.match.trim();
    const replyTo = ctx.msg.reply_to_message?.message_id;
    if (!text || replyTo === undefined) return answer(ctx, NOTE_USAGE);
    // Any rep of the workspace may note a lead they were alerted to (a previous owner too); the lead is
    // found only among messages this bot sent to this very chat.
    const lead = await repliedLead(deps, String(ctx.chat.id), replyTo);
    if (!lead) return answer(ctx, `That message is not one of your lead alerts. ${NOTE_USAGE}`);
    await addLeadNote(
      { ctx: deps.ctx, workspace: deps.workspace },
      {
        leadId: lead.id,
        text,
        actor: { type: "rep", id: ctx.rep!.id },
        dedupKey: eventKey(deps, ctx.update.update_id),
        via: "telegram",
      },
    );
    await answer(ctx, `Noted on ${lead.name ?? "the lead"} (${lead.id}).`);
  });

  rep.command("stats", async (ctx) => {
    const { deps } = ctx;
    await answer(ctx, statsText(await repStats({ ctx: deps.ctx, workspace: deps.workspace }, ctx.rep!.id)));
  });
  return composer;
}
