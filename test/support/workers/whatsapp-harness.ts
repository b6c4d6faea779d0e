import type { WebhookReport } from "../../../bots/whatsapp/handle-webhook";
import { call, seedWorkspace, type TestWorkspace, testDb } from "./harness";
import { eventually, fakeApiUrl, fakeCalls } from "./outbox-harness";

export type Payload = Record<string, any>;

/** A connected number as `GET /api/v1/channels/whatsapp` lists it (secrets masked). */
export interface WhatsappChannelJson {
  id: string;
  phoneNumberId: string;
  lastError: { code: number | null; title: string | null; details: string | null; at: number } | null;
  unknownNumbers: { phoneNumberId: string; messages: number; statuses: number; lastAt: number }[];
}

/** What the hook answers Meta
: the report of a delivery handled inline, or `queued` for the consumer. */
export type HookAnswer = { ok: true; queued?: true; unknownNumbers?: string[] } & Partial<WebhookReport>;

/**
 * A payload from test/fixtures/whatsapp (`message_text`, `status_failed`), fetched from the fake API server
 * (workerd cannot read files).
 */
export async function waFixture(name: string): Promise<Payload> {
  const res = await fetch(`${fakeApiUrl}/_fixtures/whatsapp/${name}.json`);
  if (!res.ok) throw new Error(`fixture ${name}: ${res.status}`);
  return (await res.json()) as Payload;
}

// Every test file runs in its own isolate but all share one fake API, whose calls are looked up by recipient: ids
// must not repeat across files either. Consecutive numbers from a random start in 8 million (exchange 200–999 ×
// line 0000–9999) keep one file's ids distinct and make two files meeting on one id very unlikely.
let counter = Math.floor(Math.random() * 8_000_000);
const nextSubscriber = () => {
  const n = counter++ % 8_000_000;
  return `${200 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, "0")}`;
};
/** A wa_id (US phone digits, valid for libphonenumber) no other test of this run uses. */
export const uniqueWaId = () => `1415${nextSubscriber()}`;
/** A rep's phone in E.164, from another area code than the prospects'. */
export const uniqueRepPhone = () => `+1628${nextSubscriber()}`;
const uniqueNumberId = () => String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999));
let idCounter = 0;
export const uniqueSuffix = () =>
  `${Date.now().toString(36)}${(idCounter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface TestNumber {
  ws: TestWorkspace;
  channelId: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

/** A workspace with a WhatsApp number connected through the API (the connect check runs against the fake). */
export async function workspaceWithNumber(
  config: Record<string, unknown> = {},
  ws?: TestWorkspace,
): Promise<TestNumber> {
  const workspace = ws ?? (await seedWorkspace());
  const n = {
    phoneNumberId: uniqueNumberId(),
    accessToken: `EAAG${uniqueSuffix()}TESTTOKENxxxxxxxx`,
    appSecret: `appsecret-${uniqueSuffix()}`,
    verifyToken: `verify-${uniqueSuffix()}`,
  };
  const res = await call<{ id: string }>("POST", "/api/v1/channels/whatsapp", {
    key: workspace.key,
    body: { ...n, ...config },
  });
  if (res.status !== 201) throw new Error(`connect number: ${res.status} ${res.text}`);
  return { ws: workspace, channelId: res.json.id, ...n };
}

/**
 * The fixture as delivered to this number, from `waId` (and/or a BSUID), with message and status ids made
 * unique by `tag` (fixtures reuse "wamid.xyzxyz"). `from` of an empty-wa_id contact stays empty.
 * Timestamps become `at` (default now): fixtures date from 2023–2025, and the 24-hour window counts from
 * the message's own timestamp.
 */
export function retarget(
  payload: Payload,
  num: Pick<TestNumber, "phoneNumberId">,
  who: { waId?: string; userId?: string },
  tag: string,
  at: number = Date.now(),
): Payload {
  const p = structuredClone(payload);
  const ts = String(Math.floor(at / 1000));
  // Fixtures share one BSUID across senders: give each sender its own, or they are all one person.
  const userId = who.userId ?? (who.waId ? `US.${who.waId}` : undefined);
  for (const entry of p.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const v = change.value ?? {};
      if (v.metadata) v.metadata.phone_number_id = num.phoneNumberId;
      for (const c of v.contacts ?? []) {
        if (who.waId && c.wa_id !== "") c.wa_id = who.waId;
        if (userId && (c.user_id !== undefined || who.userId)) c.user_id = userId;
      }
      for (const m of v.messages ?? []) {
        m.id = `${m.id}.${tag}`;
        if (m.timestamp !== undefined) m.timestamp = ts;
        if (who.waId && m.from !== "") m.from = who.waId;
        if (userId && m.from_user_id !== undefined) m.from_user_id = userId;
      }
      for (const s of v.statuses ?? []) {
        s.id = `${s.id}.${tag}`;
        if (s.timestamp !== undefined) s.timestamp = ts;
        if (who.waId) s.recipient_id = who.waId;
      }
    }
  }
  return p;
}

/** `sha256=<hex>` of exactly these bytes under the app secret, as Meta signs. */
export async function sign(body: string | Uint8Array, appSecret: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(appSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** POSTs a webhook to the number, signed with its app secret unless `signature` says otherwise (null = no header). */
export async function postWebhook(
  num: Pick<TestNumber, "channelId" | "appSecret">,
  payload: Payload | string,
  signature?: string | null,
) {
  const raw = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const sig = signature === undefined ? await sign(raw, num.appSecret) : signature;
  if (sig !== null) headers["x-hub-signature-256"] = sig;
  return call<HookAnswer>("POST", `/hooks/whatsapp/${num.channelId}`, { rawBody: raw, headers });
}

/** Graph API sends the fake received for a recipient (wa_id), once there are `n` of them. */
export function graphSendsTo(to: string, n: number) {
  return eventually(async () => {
    const calls = (await fakeCalls(to)).filter((c) => c.api === "whatsapp" && c.path.endsWith("/messages"));
    if (calls.length < n) throw new Error(`expected ${n} WhatsApp sends to ${to}, got ${calls.length}`);
    return calls;
  });
}

/** The first Graph API send to `to` matching `match`, once it arrived (sends run after the response). */
export function graphSendMatching(to: string, match: (body: Record<string, any>) => boolean) {
  return eventually(async () => {
    const found = (await fakeCalls(to)).find(
      (c) => c.api === "whatsapp" && c.path.endsWith("/messages") && match(c.body),
    );
    if (!found) throw new Error(`no matching WhatsApp send to ${to}`);
    return found;
  });
}

/**
 * Polls the sent outbox rows of one prospect (wa_id) of a workspace, `kind` only if given, a bounded count of
 * times. The polls go through `testDb`, without the Worker's token, so round-trip counts leave them out.
 */
export class SentOutboxPoller {
  /** `by`: the lead column the polled address is in (a WhatsApp wa_id, or a Telegram user id). */
  constructor(
    private readonly workspaceId: string,
    private readonly kind?: string,
    private readonly by: "whatsapp_id" | "telegram_user_id" = "whatsapp_id",
  ) {}

  async count(wa: string): Promise<number> {
    const rs = await testDb().execute({
      sql: `SELECT count(*) AS n FROM outbox o JOIN lead l ON l.id = o.lead_id
            WHERE l.workspace_id = ? AND l.${this.by} = ? AND (? IS NULL OR o.kind = ?) AND o.state = 'sent'`,
      args: [this.workspaceId, wa, this.kind ?? null, this.kind ?? null],
    });
    return Number(rs.rows[0]!.n);
  }

  /** The count once it reached `n`, or after 100 polls 100 ms apart (then whatever it is). */
  async until(wa: string, n: number): Promise<number> {
    for (let i = 0; i < 100 && (await this.count(wa)) < n; i++) await new Promise((r) => setTimeout(r, 100));
    return this.count(wa);
  }
}

export async function waLeads(workspaceId: string) {
  const rs = await testDb().execute({
    sql: `SELECT * FROM lead WHERE workspace_id = ? ORDER BY created_at`,
    args: [workspaceId],
  });
  return rs.rows as Record<string, any>[];
}

export async function waEvents(leadId: string) {
  const rs = await testDb().execute({
    sql: `SELECT * FROM lead_event WHERE lead_id = ? ORDER BY created_at, id`,
    args: [leadId],
  });
  return rs.rows.map((r) => ({ ...r, data: JSON.parse(String(r.data)) })) as Record<string, any>[];
}

export async function waOutbox(workspaceId: string) {
  const rs = await testDb().execute({
    sql: `SELECT * FROM outbox WHERE workspace_id = ? ORDER BY created_at, id`,
    args: [workspaceId],
  });
  return rs.rows.map((r) => ({ ...r, payload: JSON.parse(String(r.payload)) })) as Record<string, any>[];
}

/** Rows a webhook may write, for "nothing happened" and "nothing doubled" checks. */
export async function waState(num: Pick<TestNumber, "ws" | "channelId">) {
  const rs = await testDb().execute({
    sql: `SELECT (SELECT count(*) FROM lead WHERE workspace_id = :ws) AS leads,
                 (SELECT count(*) FROM lead_event WHERE workspace_id = :ws) AS events,
                 (SELECT count(*) FROM outbox WHERE workspace_id = :ws) AS outbox,
                 (SELECT count(*) FROM whatsapp_inbound WHERE channel_id = :ch) AS inbound,
                 (SELECT count(*) FROM whatsapp_status WHERE channel_id = :ch) AS statuses,
                 (SELECT count(*) FROM whatsapp_window WHERE channel_id = :ch) AS windows,
                 (SELECT count(*) FROM consent_event WHERE workspace_id = :ws) AS consent`,
    args: { ws: num.ws.id, ch: num.channelId },
  });
  return Object.fromEntries(Object.entries(rs.rows[0]!).map(([k, v]) => [k, Number(v)]));
}

/** A rep of the workspace on WhatsApp (through the owner API). */
export async function repOnWhatsapp(num: TestNumber, repId: string): Promise<string> {
  const phone = uniqueRepPhone();
  const res = await call("PATCH", `/api/v1/reps/${repId}`, { key: num.ws.key, body: { whatsappPhone: phone } });
  if (res.status !== 200) throw new Error(`rep phone: ${res.status} ${res.text}`);
  return phone.slice(1);
}

/** Both reps on WhatsApp, both have written to the number (their windows are open); a prospect writes. */
export async function leadWithWhatsappReps() {
  const num = await workspaceWithNumber();
  const phones = [await repOnWhatsapp(num, num.ws.reps[0]!.id), await repOnWhatsapp(num, num.ws.reps[1]!.id)];
  for (const p of phones)
    await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: p }, uniqueSuffix()));
  const wa = uniqueWaId();
  await postWebhook(num, retarget(await waFixture("message_text"), num, { waId: wa }, uniqueSuffix()));
  const lead = (await waLeads(num.ws.id)).find((l) => l.whatsapp_id === wa)!;
  const idx = num.ws.reps.findIndex((r) => r.id === lead.owner_rep_id);
  return { num, wa, lead, owner: phones[idx]!, other: phones[1 - idx]!, ownerRep: num.ws.reps[idx]! };
}

// Every inbound message type in test/fixtures/whatsapp, with what the timeline must show. Each is delivered
// twice from one contact: the first creates the lead through captureLead, the second (another message id) is a
// `message` event on the same lead.
export const MESSAGE_FIXTURES: [fixture: string, type: string, text: string | RegExp][] = [
  ["message_text", "text", "Do you install garden lighting?"],
  ["message_reply", "text", "Yes, Tuesday works."],
  ["message_forwarded", "text", "My neighbour recommended you."],
  ["message_forwarded_many", "text", "Spring discount"],
  ["interactive_button_reply", "interactive", "Tuesday morning"],
  ["interactive_list_reply", "interactive", "Full garden redesign"],
  ["button_quick_reply", "button", "Tell me more"],
  ["message_image", "image", "[image] Our backyard today"],
  ["message_document", "document", "[document site-plan.pdf] Site plan"],
  ["message_audio", "audio", "[audio]"],
  ["message_voice", "audio", "[voice message]"],
  ["message_video", "video", "[video] The slope we mean"],
  ["message_sticker", "sticker", "[sticker]"],
  [
    "message_location",
    "location",
    "[location] Laurelhurst Park, SE Cesar E Chavez Blvd, Portland, OR (45.5231, -122.6765)",
  ],
  ["message_contacts", "contacts", "[contact card] Maya Chen +1 555 010 4321; Leo Park +1 555 010 8765"],
  ["message_reaction", "reaction", "[reaction \u{1F44D}]"],
  ["message_unreaction", "reaction", "[reaction removed]"],
  ["message_from_ad", "text", "Is the spring offer still on?"],
  ["message_order", "order", "[order] 2\u00d7 PLANTER-L, 3\u00d7 SOIL-20L Deliver Friday"],
  ["message_unsupported", "unsupported", "[unsupported message]"],
  ["message_unsupported_poll", "unsupported", "[unsupported message: poll]"],
  ["message_interactive_without_body", "interactive", "[interactive]"],
  ["message_system_number_change", "system", "[system] User Dana Reyes changed from"],
  ["message_revoke", "revoke", "[revoke]"],
  ["message_edit", "edit", "[edit]"],
  ["message_flow_reply", "interactive", /^\[form reply\] \{.*"garden_size":"medium"/],
  ["message_call_permission_reply", "interactive", "[interactive call_permission_reply]"],
];

/** Every status webhook in the fixtures. */
export const STATUS_FIXTURES = [
  "status_sent",
  "status_delivered",
  "status_read",
  "status_played",
  "status_with_tracker",
  "status_failed",
  "status_failed_window",
  "status_group",
];

export { fakeCalls };
