/**
 * `npm run telegram:bridge -- <channelId>`: local development without a public URL. Reads the connected
 * bot's token and webhook secret from the database, removes its webhook, and forwards `getUpdates` to
 * the local Worker's `/hooks/telegram/<channelId>`. Reconnect the bot (POST /api/v1/channels/telegram)
 * to go back to webhooks. Ctrl-C stops it.
 */
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { runBridge } from "./telegram-bridge-loop";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    worker: { type: "string", default: process.env.WORKER_URL ?? "http://127.0.0.1:8787" },
    db: { type: "string", default: process.env.LIBSQL_URL ?? "http://127.0.0.1:8080" },
    "api-root": { type: "string", default: process.env.TELEGRAM_API_ROOT ?? "https://api.telegram.org" },
  },
});
const channelId = positionals[0];
if (!channelId) {
  console.error("usage: npm run telegram:bridge -- <channelId> [--worker URL] [--db LIBSQL_URL] [--api-root URL]");
  process.exit(2);
}
const db = createClient({ url: args.db!, authToken: process.env.LIBSQL_AUTH_TOKEN });
const rs = await db.execute({
  sql: `SELECT config FROM channel WHERE id = ? AND kind = 'telegram'`,
  args: [channelId],
});
db.close();
const config = rs.rows[0] ? (JSON.parse(String(rs.rows[0].config)) as { token?: string; secretToken?: string }) : null;
if (!config?.token || !config.secretToken) {
  console.error(`No connected Telegram channel ${channelId} in ${args.db}.`);
  process.exit(1);
}
const controller = new AbortController();
process.once("SIGINT", () => controller.abort());
process.once("SIGTERM", () => controller.abort());
console.log(`[bridge] ${args["api-root"]} getUpdates → ${args.worker}/hooks/telegram/${channelId} (Ctrl-C stops)`);
const delivered = await runBridge({
  apiRoot: args["api-root"]!,
  token: config.token,
  hookUrl: `${args.worker!.replace(/\/+$/, "")}/hooks/telegram/${channelId}`,
  secret: config.secretToken,
  signal: controller.signal,
});
console.log(`[bridge] stopped after ${delivered} updates`);
