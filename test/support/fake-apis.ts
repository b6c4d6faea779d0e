/**
 * Host-side fakes of the Telegram Bot API, the WhatsApp Graph API (under /graph) and the email API, at the network
 * edge. Tests run inside workerd, so they steer the fake over HTTP:
 *   POST /_script {recipient, responses:["telegram_429","telegram_403","ok",…]}  answers for the next calls
 *   POST /hook/<name>                                                          an outgoing-webhook receiver
 *   GET  /_calls?recipient=…                                                   every call recorded
 *   POST /_deliver {bot, update}   Telegram delivering an update: to the URL the bot's last setWebhook registered,
 *                                  with its secret_token header; answers {status} of the webhook
 *   GET  /_fixtures/<telegram|whatsapp>/<name>.json                             a payload from test/fixtures
 *   GET  /_shared-fixtures/<path>.json            a third-party payload from ../shared/fixtures (404 when absent)
 * Bot API methods besides sendMessage (getMe, setWebhook, getWebhookInfo, answerCallbackQuery, editMessageText)
 * answer success (setWebhook refuses the URL when "telegram_bad_webhook" is scripted for `bot<id>`; getWebhookInfo
 * reports a delivery error while "telegram_webhook_error" is); a token whose secret
 * part starts with "REVOKED" gets Telegram's 401. Calls are recorded under
 * `chat_id`, else `callback_query_id`, else `bot<id>` (the token's numeric part).
 * Error bodies are the project's own, in test/fixtures (read here, in Node: workerd cannot read files).
 * Graph API: GET /graph/<phone-number-id> (the connect check) and POST /graph/<phone-number-id>/messages,
 * recorded under the message's `to`; a bearer token starting with "REVOKED" gets Meta's 401 / code 190.
 * Scripted answers "wa_131047", "wa_131056", "wa_130429", "wa_190", "wa_500" are the Graph error envelopes in
 * test/fixtures/whatsapp.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  api: "telegram" | "email" | "webhook" | "whatsapp";
  path: string;
  recipient: string;
  body: Record<string, unknown>;
  authorization: string | null;
  answered: number;
  /** When the call arrived (ms since the epoch): tests check a retry did not go before its time. */
  at: number;
  /** webhooks: the exact bytes and the signature header, so tests can verify the HMAC */
  raw?: string;
  signature?: string | null;
}

const FIXTURES = new URL("../fixtures/", import.meta.url);
/** Third-party payloads kept beside the repository, not in it; only the conformance test replays them. */
export const SHARED_FIXTURES = new URL("../../../shared/fixtures/", import.meta.url);
export const hasSharedFixtures = () => existsSync(SHARED_FIXTURES);

const readJsonFile = (url: URL) => JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
const fixture = (path: string) => readJsonFile(new URL(path, FIXTURES));

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readText(req);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * `onCall` sees each call once its body is read, before it is answered: the bench timestamps rep alerts there
 * (it runs in the same process), where polling /_calls would add its own delay to the figure.
 */
export async function startFakeApis(
  opts: { onCall?: (call: RecordedCall) => void } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const canned: Record<string, { status: number; body: Record<string, unknown> }> = {
    telegram_429: { status: 429, body: fixture("telegram/error_429.json") },
    // The same 429 with a shorter wait, for tests and the retry punctuality bench.
    telegram_429_after_1s: {
      status: 429,
      body: {
        ...fixture("telegram/error_429.json"),
        description: "Too Many Requests: retry after 1",
        parameters: { retry_after: 1 },
      },
    },
    telegram_429_after_3s: {
      status: 429,
      body: {
        ...fixture("telegram/error_429.json"),
        description: "Too Many Requests: retry after 3",
        parameters: { retry_after: 3 },
      },
    },
    telegram_403: { status: 403, body: fixture("telegram/error_403_blocked.json") },
    email_500: { status: 500, body: { error: "upstream unavailable" } },
    email_422: { status: 422, body: { error: "invalid recipient" } },
    http_503: { status: 503, body: { error: "try later" } },
    http_410: { status: 410, body: { error: "gone" } },
    wa_131047: { status: 400, body: fixture("whatsapp/graph_error_131047.json") },
    wa_131056: { status: 400, body: fixture("whatsapp/graph_error_131056.json") },
    wa_130429: { status: 400, body: fixture("whatsapp/graph_error_130429.json") },
    // Graph's expired-token answer (code 190, subcode 463).
    wa_190: { status: 401, body: fixture("whatsapp/graph_error_190.json") },
    wa_500: { status: 500, body: fixture("whatsapp/graph_error_500.json") },
  };
  const scripts = new Map<string, string[]>();
  const calls: RecordedCall[] = [];
  const record = (call: Omit<RecordedCall, "at">): RecordedCall => {
    const stamped = { ...call, at: Date.now() };
    calls.push(stamped);
    return stamped;
  };
  let messageId = 1000;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake");
      if (req.method === "POST" && url.pathname === "/_script") {
        const { recipient, responses } = (await readJson(req)) as { recipient: string; responses: string[] };
        scripts.set(String(recipient), [...(scripts.get(String(recipient)) ?? []), ...responses]);
        return send(res, 204, null);
      }
      if (req.method === "GET" && url.pathname === "/_calls") {
        const recipient = url.searchParams.get("recipient");
        return send(
          res,
          200,
          calls.filter((c) => recipient === null || c.recipient === recipient),
        );
      }
      if (req.method === "POST" && url.pathname === "/_deliver") {
        const { bot, update } = (await readJson(req)) as { bot: string; update: unknown };
        const hook = calls.findLast((c) => c.recipient === `bot${bot}` && c.path.endsWith("/setWebhook"));
        if (!hook) return send(res, 404, { error: `bot ${bot} registered no webhook` });
        const secret = hook.body.secret_token;
        const answer = await fetch(String(hook.body.url), {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(typeof secret === "string" ? { "x-telegram-bot-api-secret-token": secret } : {}),
          },
          body: JSON.stringify(update),
        });
        return send(res, 200, { status: answer.status });
      }
      const fixtureName = /^\/_fixtures\/((?:telegram|whatsapp)\/[A-Za-z0-9_]+\.json)$/.exec(url.pathname)?.[1];
      if (req.method === "GET" && fixtureName) return send(res, 200, fixture(fixtureName));
      // Names are restricted to one folder level of plain characters, so no path can leave the fixtures folder.
      const shared = /^\/_shared-fixtures\/((?:telegram|whatsapp)\/(?:[A-Za-z0-9_-]+\/)?[A-Za-z0-9_.-]+\.json)$/.exec(
        url.pathname,
      )?.[1];
      if (req.method === "GET" && shared) {
        const file = new URL(shared, SHARED_FIXTURES);
        if (!existsSync(file)) return send(res, 404, { error: `no shared fixture ${shared}` });
        return send(res, 200, readJsonFile(file));
      }
      const graph = /^\/graph\/(\d+)(\/messages)?$/.exec(url.pathname);
      if (graph) {
        const [, phoneNumberId, messages] = graph;
        const authorization = req.headers.authorization ?? null;
        const revoked = (authorization ?? "").startsWith("Bearer REVOKED");
        const expired = { status: 401, body: canned.wa_190!.body };
        if (req.method === "GET" && !messages) {
          record({
            api: "whatsapp",
            path: url.pathname,
            recipient: `pn${phoneNumberId}`,
            body: {},
            authorization,
            answered: revoked ? 401 : 200,
          });
          if (revoked) return send(res, expired.status, expired.body);
          return send(res, 200, {
            display_phone_number: "15550783881",
            verified_name: "Lucky Shrub",
            id: phoneNumberId,
          });
        }
        if (req.method === "POST" && messages) {
          const body = await readJson(req);
          const recipient = String(body.to);
          const scripted = scripts.get(recipient)?.shift();
          // "wamid:<id>" answers success with that message id (tests that deliver a status before the send).
          const fixedId = scripted?.startsWith("wamid:") ? scripted.slice(6) : undefined;
          const answer = revoked ? expired : scripted && scripted !== "ok" && !fixedId ? canned[scripted] : undefined;
          const call = record({
            api: "whatsapp",
            path: url.pathname,
            recipient,
            body,
            authorization,
            answered: answer?.status ?? 200,
          });
          opts.onCall?.(call);
          if (answer) return send(res, answer.status, answer.body);
          // The shape of test/fixtures/whatsapp/send_ok.json, with a fresh message id.
          return send(res, 200, {
            messaging_product: "whatsapp",
            contacts: [{ input: recipient, wa_id: recipient }],
            messages: [{ id: fixedId ?? `wamid.FAKE${++messageId}${Math.random().toString(36).slice(2, 8)}` }],
          });
        }
      }
      const botMethod =
        /^\/bot(\d+):([^/]+)\/(getMe|setWebhook|getWebhookInfo|answerCallbackQuery|editMessageText)$/.exec(
          url.pathname,
        );
      if (req.method === "POST" && botMethod) {
        const [, botId, secret, method] = botMethod;
        const body = await readJson(req);
        const recipient = String(body.chat_id ?? body.callback_query_id ?? `bot${botId}`);
        const revoked = secret!.startsWith("REVOKED");
        record({
          api: "telegram",
          path: url.pathname,
          recipient,
          body,
          authorization: null,
          answered: revoked ? 401 : 200,
        });
        if (revoked) return send(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
        // Telegram refuses a webhook URL that is not https (scripted per bot: "telegram_bad_webhook").
        if (method === "setWebhook" && scripts.get(`bot${botId}`)?.[0] === "telegram_bad_webhook") {
          scripts.get(`bot${botId}`)!.shift();
          return send(res, 400, {
            ok: false,
            error_code: 400,
            description: "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
          });
        }
        // Telegram's record of our webhook failing, while "telegram_webhook_error" heads the bot's script.
        if (method === "getWebhookInfo") {
          const failing = scripts.get(`bot${botId}`)?.[0] === "telegram_webhook_error";
          return send(res, 200, {
            ok: true,
            result: {
              url: "",
              has_custom_certificate: false,
              pending_update_count: failing ? 3 : 0,
              ...(failing
                ? {
                    last_error_date: Math.floor(Date.now() / 1000) - 60,
                    last_error_message: "Wrong response from the webhook: 502 Bad Gateway",
                  }
                : {}),
            },
          });
        }
        if (method === "getMe") {
          return send(res, 200, {
            ok: true,
            result: {
              id: Number(botId),
              is_bot: true,
              first_name: "Lead Desk",
              username: `leaddesk_${botId}_bot`,
              can_join_groups: true,
              can_read_all_group_messages: false,
              supports_inline_queries: false,
              can_connect_to_business: false,
              has_main_web_app: false,
            },
          });
        }
        if (method === "editMessageText") {
          return send(res, 200, {
            ok: true,
            result: {
              message_id: body.message_id,
              chat: { id: Number(body.chat_id), type: "private" },
              date: 0,
              text: body.text,
            },
          });
        }
        return send(res, 200, { ok: true, result: true });
      }
      // copyMessage (media relays) answers like sendMessage: a new message id in the recipient's chat.
      const telegram = /^\/bot([^/]+)\/(?:sendMessage|copyMessage)$/.exec(url.pathname);
      const hook = url.pathname.startsWith("/hook/");
      if (req.method === "POST" && (telegram || hook || url.pathname === "/email")) {
        const raw = await readText(req);
        const body = (raw ? JSON.parse(raw) : {}) as Record<string, any>;
        const api = telegram ? "telegram" : hook ? "webhook" : "email";
        // Webhook calls are told apart by their path (the row's recipient is the whole URL).
        const recipient = String(telegram ? body.chat_id : hook ? url.pathname : body.to);
        const scripted = scripts.get(recipient)?.shift();
        // "redirect:<path>" answers 307 to that path on this server (a receiver trying to bounce the Worker).
        const redirectTo = scripted?.startsWith("redirect:") ? scripted.slice(9) : undefined;
        const answer = scripted && scripted !== "ok" && !redirectTo ? canned[scripted] : undefined;
        const status = redirectTo ? 307 : (answer?.status ?? (hook ? 204 : 200));
        const call = record({
          api,
          path: url.pathname,
          recipient,
          body,
          authorization: req.headers.authorization ?? null,
          answered: status,
          ...(hook ? { raw, signature: (req.headers["leadrelay-signature"] as string | undefined) ?? null } : {}),
        });
        opts.onCall?.(call);
        if (redirectTo) {
          res.writeHead(307, { location: redirectTo });
          return res.end();
        }
        if (answer) return send(res, answer.status, answer.body);
        const id = ++messageId;
        if (hook) return send(res, 204, null);
        if (telegram)
          return send(res, 200, {
            ok: true,
            result: { message_id: id, chat: { id: Number(recipient) }, date: 0, text: body.text },
          });
        return send(res, 200, { id: `email_${id}` });
      }
      send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    } catch (err) {
      send(res, 500, { error: String(err) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
