import type { form, lead, leadEvent, pool, rep, routingRule, webhookEndpoint } from "../../db/schema";

/**
 * A parsed JSON body as tests read it. Unknown until a test names the shape it reads — `call<{ data: Lead[] }>(…)`
 * — so a renamed field fails the typecheck instead of reading `undefined`. One definition for the workerd, browser
 * and node helpers; the shapes below are the API's answers, built from the schema's row types (timestamps are
 * epoch milliseconds, so a row is its own JSON).
 */
export type ResponseJson = any;

/** The one error shape every route answers with. */
export interface ErrorBody {
  error: { code: string; message: string; requestId: string; fields?: Record<string, string> };
}

/** A list answer. */
export interface ListJson<T> {
  data: T[];
  nextCursor?: string | null;
}

export type LeadJson = typeof lead.$inferSelect;
export type LeadEventJson = typeof leadEvent.$inferSelect;
export type RepJson = typeof rep.$inferSelect;
export type FormJson = typeof form.$inferSelect;
export type PoolJson = typeof pool.$inferSelect & { repIds: string[] };
export type RuleJson = typeof routingRule.$inferSelect;
export type WebhookJson = typeof webhookEndpoint.$inferSelect;

/** `GET /api/v1/leads/:id`: the lead, its timeline and what was sent to the prospect. */
export interface LeadDetailJson {
  lead: LeadJson;
  events: LeadEventJson[];
  messages: LeadMessageJson[];
}

/** `POST /api/v1/leads`: the lead, and whether it is new or a re-inquiry of an existing one. */
export interface LeadCreatedJson {
  lead: LeadJson;
  created: boolean;
}

/** One message of the conversation with the prospect (the domain's `LeadMessage`). */
export interface LeadMessageJson {
  id: string;
  direction: "in" | "out";
  channel: string;
  kind: string;
  text: string | null;
  status: string;
  error: string | null;
  at: number;
}

/** An API key as the API shows it (never its hash); `key` only in the answer that creates or rotates it. */
export interface ApiKeyJson {
  id: string;
  name: string;
  prefix: string;
  scope: string;
  createdAt: number;
  createdBy: { type: "person" | "api"; id: string } | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  key?: string;
}
