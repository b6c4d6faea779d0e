import { telegramChannel } from "../bots/telegram/channel";
import { whatsappChannel } from "../bots/whatsapp/channel";
import type { ChannelList } from "./channels/channel";
import { workerFor } from "./worker";

export { Rotation } from "./routing/rotation-do";

/**
 * The one list of channels this deployment speaks, handed to the app, the outbox and cron. A new channel is
 * a module (workers/channels/channel.ts) added here. Order matters: a rep reachable on several is alerted
 * on the first.
 */
export const CHANNELS: ChannelList = [telegramChannel, whatsappChannel];

const worker = workerFor(CHANNELS);

export const SlaTimer = worker.SlaTimer;
export type SlaTimer = InstanceType<typeof SlaTimer>;
export default worker.handler;
