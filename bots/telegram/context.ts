import type { Context } from "grammy";
import type { TelegramChannel } from "../../workers/domain/channels/telegram-channels";
import type { DomainContext, WorkspaceRef } from "../../workers/domain/context";
import type { UpdateDone } from "./update-done";
import type { ProspectRead } from "./update-read";

/** What `createBot` needs besides the token: the domain context and which bot/workspace this is. */
export interface BotDeps {
  ctx: DomainContext;
  channel: TelegramChannel;
  workspace: WorkspaceRef;
  /** The rep linked to the update's private chat (null: none), when the hook read it with its lookup. */
  chatRep?: { chatId: string; rep: LinkedRep | null } | undefined;
  /** The private chat's prospect state, when the hook read it with its lookup. */
  prospect?: ProspectRead | undefined;
  /** The update's closing writes, for the handler whose batch is its last effect. */
  done?: UpdateDone | undefined;
}

export interface LinkedRep {
  id: string;
  name: string;
}

/** grammY's context plus ours: the deps, and the rep this private chat is linked to (null = a prospect). */
export type BotContext = Context & { deps: BotDeps; rep: LinkedRep | null };
