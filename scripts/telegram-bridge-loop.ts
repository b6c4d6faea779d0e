/**
 * The polling bridge's loop, separate from its CLI so a test can drive it: long-polls `getUpdates` and
 * POSTs each update to the local webhook with the channel's secret, exactly as Telegram would. The offset
 * advances only after a 2xx, so an update the Worker failed to store (5xx) is delivered again.
 */
export interface BridgeOptions {
  apiRoot: string;
  token: string;
  hookUrl: string;
  secret: string;
  signal: AbortSignal;
  /** Long-poll seconds (Telegram holds the request open up to this long when there is nothing new). */
  pollSeconds?: number;
  retryDelayMs?: number;
  log?: (line: string) => void;
}

interface TelegramAnswer<T> {
  ok: boolean;
  result?: T;
  description?: string;
}

async function callApi<T>(o: BridgeOptions, method: string, body: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${o.apiRoot.replace(/\/+$/, "")}/bot${o.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: o.signal,
  });
  const json = (await res.json()) as TelegramAnswer<T>;
  if (!json.ok) throw new Error(`${method}: ${json.description ?? res.status}`);
  return json.result as T;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/** Runs until `signal` aborts. Returns the number of updates delivered. */
export async function runBridge(o: BridgeOptions): Promise<number> {
  const log = o.log ?? ((line: string) => console.log(line));
  // getUpdates answers 409 while a webhook is set; pending updates are kept, not dropped.
  await callApi(o, "deleteWebhook", { drop_pending_updates: false });
  let offset = 0;
  let delivered = 0;
  while (!o.signal.aborted) {
    let updates: { update_id: number }[];
    try {
      updates = await callApi(o, "getUpdates", {
        offset,
        timeout: o.pollSeconds ?? 30,
        allowed_updates: ["message", "edited_message", "callback_query", "my_chat_member"],
      });
    } catch (err) {
      if (o.signal.aborted) break;
      log(`[bridge] getUpdates failed: ${err instanceof Error ? err.message : String(err)}`);
      await sleep(o.retryDelayMs ?? 2000, o.signal);
      continue;
    }
    for (const update of updates) {
      let status = 0;
      while (!o.signal.aborted) {
        try {
          const res = await fetch(o.hookUrl, {
            method: "POST",
            headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": o.secret },
            body: JSON.stringify(update),
            signal: o.signal,
          });
          status = res.status;
          await res.body?.cancel();
        } catch {
          status = 0;
        }
        if (status >= 200 && status < 300) break;
        log(`[bridge] update ${update.update_id}: webhook answered ${status || "nothing"}, retrying`);
        await sleep(o.retryDelayMs ?? 2000, o.signal);
      }
      if (o.signal.aborted) break;
      offset = update.update_id + 1;
      delivered++;
      log(`[bridge] update ${update.update_id} → ${status}`);
    }
  }
  return delivered;
}
