import { call, seedWorkspace, type TestWorkspace, testDb } from "./harness";
import { eventually, fakeApiUrl, fakeCalls, uniqueChatId } from "./outbox-harness";

export type Update = Record<string, any>;

/**
 * An update from test/fixtures/telegram, fetched from the fake API server (workerd cannot read files).
 * Fixture user ids are fixed, so tests re-address them to their own ids with `retarget`.
 */
export async function fixtureUpdate(name: string): Promise<Update> {
  const res = await fetch(`${fakeApiUrl}/_fixtures/telegram/${name}.json`);
  if (!res.ok) throw new Error(`fixture ${name}: ${res.status}`);
  return (await res.json()) as Update;
}

/** The update as sent by (and in a private chat with) `userId`, with its own update id. */
export function retarget(update: Update, userId: string, updateId: number): Update {
  const u = structuredClone(update);
  u.update_id = updateId;
  const body = u.message ?? u.edited_message ?? u.callback_query ?? u.my_chat_member;
  body.from.id = Number(userId);
  const chat = (u.message ?? u.edited_message)?.chat ?? u.callback_query?.message?.chat ?? u.my_chat_member?.chat;
  if (chat) chat.id = Number(userId);
  if (u.message?.contact?.user_id !== undefined) u.message.contact.user_id = Number(userId);
  return u;
}

let updateCounter = 500_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
export const nextUpdateId = () => updateCounter++;

export interface TestBot {
  ws: TestWorkspace;
  channelId: string;
  token: string;
  secret: string;
  botId: string;
}

/** A workspace with a bot connected through the API (getMe + setWebhook against the fake). */
export async function workspaceWithBot(config: { autoReplyText?: string } = {}): Promise<TestBot> {
  return connectBot(await seedWorkspace(), config);
}

/** Connects a (further) bot to a workspace through the API. */
export async function connectBot(ws: TestWorkspace, config: { autoReplyText?: string } = {}): Promise<TestBot> {
  const botId = String(Math.floor(Math.random() * 1e9) + 1e9);
  const token = `${botId}:AAtest-${Math.random().toString(36).slice(2, 14)}xxxxxxxx`;
  const res = await call<{ id: string }>("POST", "/api/v1/channels/telegram", {
    key: ws.key,
    body: { token, ...config },
  });
  if (res.status !== 201) throw new Error(`connect bot: ${res.status} ${res.text}`);
  const rs = await testDb().execute({ sql: `SELECT config FROM channel WHERE id = ?`, args: [res.json.id] });
  const secret = JSON.parse(String(rs.rows[0]!.config)).secretToken as string;
  return { ws, channelId: res.json.id, token, secret, botId };
}

export function postUpdate(bot: Pick<TestBot, "channelId">, update: Update, secret: string | null) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
  return call("POST", `/hooks/telegram/${bot.channelId}`, { rawBody: JSON.stringify(update), headers });
}

/** A rep of the workspace linked to a fresh Telegram chat (through the owner API). */
export async function linkRep(bot: TestBot, repId: string): Promise<string> {
  const chat = uniqueChatId();
  const res = await call("PATCH", `/api/v1/reps/${repId}`, { key: bot.ws.key, body: { telegramChatId: chat } });
  if (res.status !== 200) throw new Error(`link rep: ${res.status} ${res.text}`);
  return chat;
}

export async function leadsOf(workspaceId: string) {
  const rs = await testDb().execute({
    sql: `SELECT * FROM lead WHERE workspace_id = ? ORDER BY created_at`,
    args: [workspaceId],
  });
  return rs.rows as Record<string, any>[];
}

export async function eventsOf(leadId: string) {
  const rs = await testDb().execute({
    sql: `SELECT * FROM lead_event WHERE lead_id = ? ORDER BY created_at, id`,
    args: [leadId],
  });
  return rs.rows as Record<string, any>[];
}

/** A prospect's (or rep's) private text, from the private_text fixture. */
export async function textFrom(chat: string, text: string, extra: Record<string, unknown> = {}): Promise<Update> {
  const u = retarget(await fixtureUpdate("private_text"), chat, nextUpdateId());
  u.message.text = text;
  u.message.message_id = u.update_id % 1_000_000;
  if (text.startsWith("/"))
    u.message.entities = [{ offset: 0, length: text.split(" ")[0]!.length, type: "bot_command" }];
  Object.assign(u.message, extra);
  return u;
}

/** A deep-link /start from a fresh prospect, through the bot; returns the prospect's chat id. */
export async function startFrom(bot: TestBot, user = uniqueChatId()): Promise<string> {
  const res = await postUpdate(bot, retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId()), bot.secret);
  if (res.status !== 200) throw new Error(`/start: ${res.status} ${res.text}`);
  return user;
}

/** Posts an update and expects Telegram's 200. */
export async function deliver(bot: TestBot, update: Update): Promise<void> {
  const res = await postUpdate(bot, update, bot.secret);
  if (res.status !== 200) throw new Error(`update ${update.update_id}: ${res.status} ${res.text}`);
}

/** Both reps of the workspace linked; the chat of the lead's owner and of the other rep. */
export async function linkBothReps(bot: TestBot) {
  const chats = [await linkRep(bot, bot.ws.reps[0]!.id), await linkRep(bot, bot.ws.reps[1]!.id)];
  return {
    chats,
    chatOf: (repId: string) => chats[bot.ws.reps.findIndex((r) => r.id === repId)]!,
    otherThan: (repId: string) => chats[1 - bot.ws.reps.findIndex((r) => r.id === repId)]!,
  };
}

/**
 * Both reps linked, then a prospect's deep-link `/start`: the lead, its owner's index and chat, the other
 * rep's chat. Each test gets its own prospect chat.
 */
export async function leadWithLinkedReps(bot: TestBot) {
  const reps = await linkBothReps(bot);
  const user = uniqueChatId();
  await deliver(bot, retarget(await fixtureUpdate("start_deeplink"), user, nextUpdateId()));
  const lead = (await leadsOf(bot.ws.id))[0]!;
  const ownerIdx = bot.ws.reps.findIndex((r) => r.id === lead.owner_rep_id);
  return {
    repChats: reps.chats,
    user,
    lead,
    ownerIdx,
    ownerChat: reps.chatOf(lead.owner_rep_id),
    otherChat: reps.otherThan(lead.owner_rep_id),
  };
}

/** A lead from a Telegram /start, its owner's chat and the alert the owner got (with its Telegram message id). */
export async function leadWithAlert(bot: TestBot) {
  const reps = await linkBothReps(bot);
  const user = await startFrom(bot);
  const [lead] = await leadsOf(bot.ws.id);
  const ownerChat = reps.chatOf(lead!.owner_rep_id);
  const alertMessageId = await eventually(async () => {
    const rs = await testDb().execute({
      sql: `SELECT provider_message_id FROM outbox WHERE lead_id = ? AND kind = 'rep_alert' AND state = 'sent'`,
      args: [lead!.id],
    });
    if (rs.rows.length !== 1) throw new Error(`expected one sent alert, got ${rs.rows.length}`);
    return Number(rs.rows[0]!.provider_message_id);
  });
  return { reps, user, lead: lead!, ownerChat, alertMessageId };
}

/** Every message the fake Bot API received for a chat (sendMessage and copyMessage), once there are `n`. */
export function messagesTo(chatId: string, n: number) {
  return eventually(async () => {
    const calls = (await fakeCalls(chatId)).filter((c) => /\/(sendMessage|copyMessage)$/.test(c.path));
    if (calls.length < n) throw new Error(`expected ${n} messages to ${chatId}, got ${calls.length}`);
    return calls;
  });
}

export async function outboxOf(workspaceId: string) {
  const rs = await testDb().execute({
    sql: `SELECT * FROM outbox WHERE workspace_id = ? ORDER BY created_at, id`,
    args: [workspaceId],
  });
  return rs.rows as Record<string, any>[];
}

/** The sends the fake Bot API received for a chat, once there are `n` of them. */
export function sentTo(chatId: string, n: number) {
  return eventually(async () => {
    const calls = (await fakeCalls(chatId)).filter((c) => c.path.endsWith("/sendMessage"));
    if (calls.length < n) throw new Error(`expected ${n} sends to ${chatId}, got ${calls.length}`);
    return calls;
  });
}

export { fakeCalls, uniqueChatId };
