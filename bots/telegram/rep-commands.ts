import { Composer } from "grammy";
import { listLeads } from "../../workers/domain/leads";
import { updateRep } from "../../workers/domain/reps";
import type { BotContext } from "./context";
import { outboxInsert, updateKey } from "./outbox-reply";
import { queue } from "./queue";

const OPEN_LIMIT = 20;

/** A linked rep's commands in their private chat: `/pause`, `/resume` (out of / back into rotation), `/leads`. */
export function repCommandsComposer() {
  const composer = new Composer<BotContext>();
  const rep = composer.chatType("private").filter((ctx) => ctx.rep !== null);

  const answer = (ctx: BotContext & { chat: { id: number } }, text: string) =>
    queue(ctx.deps, [outboxInsert(ctx.deps, { kind: "bot_reply", chatId: ctx.chat.id, key: updateKey(ctx.deps, ctx.update.update_id, 0), text })]);

  for (const [command, paused] of [["pause", true], ["resume", false]] as const) {
    rep.command(command, async (ctx) => {
      const { deps } = ctx;
      await updateRep({ ctx: deps.ctx, workspace: deps.workspace }, ctx.rep!.id, { paused });
      await answer(ctx, paused ? "Paused: you get no new leads until /resume." : "Back in the rotation: new leads will come to you.");
    });
  }

  rep.command("leads", async (ctx) => {
    const { deps } = ctx;
    const { data } = await listLeads(
      { ctx: deps.ctx, workspace: deps.workspace },
      { owner: ctx.rep!.id, status: ["new", "contacted", "qualified"], limit: OPEN_LIMIT },
    );
    const lines = data.map((l) => `\u2022 ${l.name ?? "no name"} \u00b7 ${l.status}${l.phone ? ` \u00b7 ${l.phone}` : ""} (${l.id})`);
    await answer(ctx, lines.length ? `Your open leads (newest first):\n${lines.join("\n")}` : "You have no open leads.");
  });
  return composer;
}
