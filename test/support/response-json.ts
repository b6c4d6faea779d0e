import type {
  form,
  lead,
  leadEvent,
  pool,
  rep,
  routingRule,
  sequence,
  sequenceStep,
  webhookEndpoint,
  workspace,
} from "../../db/schema";

/**
 * A parsed JSON body as tests read it. Unknown until a test names the shape it reads — `call<{ data: Lead[] }>(…)`
 * — so a renamed field fails the typecheck instead of reading `undefined`. One definition for the workerd, browser
 * and node helpers; the shapes below are the API's answers, built from the schema's row types (timestamps are
 * epoch milliseconds, so a row is its own JSON).
 */
export type ResponseJson = unknown;

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

/** `POST /api/v1/workspaces`: the workspace and its first key (shown once). */
export interface WorkspaceCreatedJson {
  workspace: { id: string; name: string };
  apiKey: ApiKeyJson & { key: string };
}

/** `GET /api/v1/workspace`. */
export type WorkspaceJson = typeof workspace.$inferSelect;

/** What the form endpoint answers a JSON submission with. */
export interface FormAnswerJson {
  ok: true;
  message: string;
  redirectUrl: string | null;
}

/** The parts of the OpenAPI document tests read. */
export interface OpenApiJson {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
  components: { schemas: Record<string, unknown> };
}

/** A person as the API shows them (never a hash). */
export interface PersonJson {
  id: string;
  name: string;
  email: string;
  role: "owner" | "admin" | "rep";
  repId: string | null;
  status: "invited" | "active" | "revoked";
  createdAt: number;
  updatedAt: number;
}

/** `POST /api/v1/people`: the person and their one-time invite link (shown once). */
export interface PersonInvitedJson {
  person: PersonJson;
  inviteUrl: string;
}

/** A webhook endpoint as listed: its secret only by prefix. */
export type WebhookJson = Omit<typeof webhookEndpoint.$inferSelect, "secret" | "previousSecret"> & {
  secretPrefix: string;
};

/** A webhook endpoint as created or rotated: the signing secret, shown once. */
export type WebhookCreatedJson = Omit<WebhookJson, "secretPrefix"> & { secret: string };

/** A follow-up sequence with its steps in order. */
export type SequenceJson = typeof sequence.$inferSelect & { steps: (typeof sequenceStep.$inferSelect)[] };

type Rows = Record<string, unknown>[];

/** `GET /api/v1/leads/:id/export`: every stored row about the person, by table. */
export interface LeadExportJson {
  lead: Record<string, unknown>;
  lead_event: { type: string; data: Record<string, unknown> }[];
  lead_identity: Rows;
  outbox: { recipient: string }[];
  consent_event: Rows;
  sequence_enrollment: Rows;
  telegram_conversation: Rows;
}

/** `GET /api/v1/scoring`: the workspace's scoring rules, defaults filled in (the domain's own type). */
export type { ScoringRules as ScoringRulesJson } from "../../workers/domain/capture/scoring";
