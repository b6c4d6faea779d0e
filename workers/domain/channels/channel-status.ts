import type { InStatement, Row } from "@libsql/client/web";
import { Api } from "grammy";
import type { DomainContext, WorkspaceRef } from "../context";

/**
 * "A webhook for this channel was accepted now": a statement for the webhook to add to a write it makes
 * anyway (Telegram's update dedup row, WhatsApp's first batch), so recording it costs no round trip.
 */
export function channelWebhookSeen(channelId: string, now: number): InStatement {
  return {
    sql: `UPDATE channel SET last_webhook_at = :now
          WHERE id = :ch AND (last_webhook_at IS NULL OR last_webhook_at < :now)`,
    args: { ch: channelId, now },
  };
}

export interface ChannelStatus {
  lastWebhookAt: number | null;
  /** The last send through this channel that failed for good (blocked chat, bad number, gave up). */
  lastFailedSend: { error: string; at: number } | null;
  /** Telegram: what the Bot API says about delivering to our webhook (getWebhookInfo). */
  telegram?: { lastError: { message: string; at: number } | null; pending: number } | { unreachable: string };
}

// getWebhookInfo answers in milliseconds; a page must not hang on a slow Bot API.
const TELEGRAM_TIMEOUT_SECONDS = 5;

/**
 * Each channel's health for the channels page: when its last webhook arrived and its last failed send (one
 * read), and for Telegram bots what getWebhookInfo reports about delivering to us (Telegram's own record of
 * our webhook answering errors or being unreachable).
 */
export async function channelStatuses({
  ctx,
  workspace,
}: {
  ctx: DomainContext;
  workspace: WorkspaceRef;
}): Promise<Map<string, ChannelStatus>> {
  const rows: Row[] = (
    await ctx.database.client.execute({
      sql: `SELECT c.id, c.kind, c.last_webhook_at,
              CASE WHEN c.kind = 'telegram' THEN json_extract(c.config, '$.token') END AS token,
              (SELECT json_object('error', o.last_error, 'at', o.updated_at) FROM outbox o
                WHERE o.channel_id = c.id AND o.state IN ('failed', 'dead') AND o.channel_id IS NOT NULL
                ORDER BY o.updated_at DESC LIMIT 1) AS last_failed
            FROM channel c WHERE c.workspace_id = ?`,
      args: [workspace.id],
    })
  ).rows;
  const root = ctx.config.TELEGRAM_API_ROOT.replace(/\/+$/, "");
  const entries = await Promise.all(
    rows.map(async (r): Promise<[string, ChannelStatus]> => {
      const failed = r.last_failed ? (JSON.parse(String(r.last_failed)) as { error: string | null; at: number }) : null;
      const status: ChannelStatus = {
        lastWebhookAt: r.last_webhook_at === null ? null : Number(r.last_webhook_at),
        lastFailedSend: failed ? { error: failed.error ?? "failed", at: failed.at } : null,
      };
      if (r.kind === "telegram" && typeof r.token === "string") status.telegram = await webhookInfo(root, r.token);
      return [String(r.id), status];
    }),
  );
  return new Map(entries);
}

async function webhookInfo(apiRoot: string, token: string): Promise<NonNullable<ChannelStatus["telegram"]>> {
  try {
    const info = await new Api(token, { apiRoot, timeoutSeconds: TELEGRAM_TIMEOUT_SECONDS }).getWebhookInfo();
    return {
      lastError:
        info.last_error_message && info.last_error_date
          ? { message: info.last_error_message, at: info.last_error_date * 1000 }
          : null,
      pending: info.pending_update_count,
    };
  } catch (err) {
    return { unreachable: err instanceof Error ? err.message : String(err) };
  }
}
