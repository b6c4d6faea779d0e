import type { InStatement } from "@libsql/client/web";
import { channelWebhookSeen } from "../../workers/domain/channels/channel-status";

/**
 * An update's closing writes: its `update_id` recorded as handled and the bot's last-webhook stamp. They follow
 * the update's last effect. A handler whose batch is that last effect adds them to it (`inBatchOf`) and says so
 * once the batch is stored (`stored`); otherwise the hook writes them in a round trip of their own (`left`).
 */
export class UpdateDone {
  private written = false;

  constructor(
    private readonly channelId: string,
    private readonly updateId: number,
    private readonly now: number,
  ) {}

  /**
   * The closing writes for a capture's batch: the mark only once the inquiry keyed `eventKey` holds (an
   * optimistic attempt that wrote nothing marks nothing; the attempt after it does).
   */
  inBatchOf(capture: { workspaceId: string; eventKey: string }): InStatement[] {
    return [
      this.mark(`WHERE EXISTS (SELECT 1 FROM lead_event WHERE workspace_id = :ws AND dedup_key = :key)`, {
        ws: capture.workspaceId,
        key: capture.eventKey,
      }),
      channelWebhookSeen(this.channelId, this.now),
    ];
  }

  /** The batch holding `inBatchOf` is stored. */
  stored(): void {
    this.written = true;
  }

  /** What the hook still has to write once the bot is done: nothing when a handler's batch held it. */
  left(): InStatement[] {
    return this.written ? [] : [this.mark("WHERE true", {}), channelWebhookSeen(this.channelId, this.now)];
  }

  private mark(condition: string, args: Record<string, string>): InStatement {
    return {
      sql: `INSERT INTO telegram_update (channel_id, update_id, received_at) SELECT :ch, :update, :now ${condition}
            ON CONFLICT DO NOTHING`,
      args: { ...args, ch: this.channelId, update: this.updateId, now: this.now },
    };
  }
}
