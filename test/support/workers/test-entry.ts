import type { ChannelList } from "../../../workers/channels/channel";
import { CHANNELS } from "../../../workers/index";
import { workerFor } from "../../../workers/worker";
import { jsonChannel } from "./json-channel/channel";

export { Rotation } from "../../../workers/routing/rotation-do";

/**
 * The Worker the workerd tests run (vitest's `main`): the shipped channels plus the test-only JSON channel,
 * registered the way any new channel is, by adding it to the list.
 */
export const TEST_CHANNELS: ChannelList = [...CHANNELS, jsonChannel];

const worker = workerFor(TEST_CHANNELS);

export const SlaTimer = worker.SlaTimer;
export default worker.handler;
