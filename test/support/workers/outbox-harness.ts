import { createScheduledController, env } from "cloudflare:test";
import { inject } from "vitest";
import { parseConfig } from "../../../workers/config";
import { openDatabase } from "../../../workers/db";
import type { DomainContext } from "../../../workers/domain/context";
import { rotationService } from "../../../workers/routing/rotation-service";
import { testDb } from "./harness";
import worker, { TEST_CHANNELS } from "./test-entry";

export const fakeApiUrl = inject("fakeApiUrl");

/** One cron tick through the Worker's real `scheduled` handler, at a time the test chooses. */
export async function tick(scheduledTime: number): Promise<void> {
  const controller = createScheduledController({ scheduledTime, cron: "* * * * *" });
  await worker.scheduled(controller, env);
}

/** A domain context on the test config, for calling verbs the bots will call (captureLead, snoozeLead). */
export function domainContext(now: () => number = Date.now, waitUntil?: (p: Promise<unknown>) => void): DomainContext {
  const parsed = parseConfig(env as unknown as Record<string, unknown>);
  if (!parsed.ok) throw new Error(parsed.issues.join("; "));
  return {
    config: parsed.config,
    channels: TEST_CHANNELS,
    database: openDatabase(parsed.config),
    now,
    waitUntil,
    rotation: rotationService(env.ROTATION),
  };
}

export interface FakeCall {
  api: "telegram" | "email" | "webhook" | "whatsapp";
  raw?: string;
  signature?: string | null;
  path: string;
  recipient: string;
  body: Record<string, any>;
  authorization: string | null;
  answered: number;
  /** When the fake received it (ms since the epoch, the host's clock). */
  at: number;
}

/** Every call the fake Telegram / email API received for this recipient (chat id or address). */
export async function fakeCalls(recipient: string): Promise<FakeCall[]> {
  const res = await fetch(`${fakeApiUrl}/_calls?recipient=${encodeURIComponent(recipient)}`);
  return (await res.json()) as FakeCall[];
}

/** Tell the fake how to answer the next calls for a recipient: "telegram_429", "telegram_403", "email_500", "ok". */
export async function scriptFake(recipient: string, responses: string[]): Promise<void> {
  await fetch(`${fakeApiUrl}/_script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ recipient, responses }),
  });
}

/**
 * Polls until `check` passes: for work done after the response (waitUntil), never for timing. The first
 * pauses are short (that work usually lands within milliseconds, and a flat 100 ms pause made every call
 * wait that long); the pauses add up to `tries` × 100 ms, counted, not timed. 15 s by default: a passing check
 * costs no more for it, and a 2-core CI machine with busy neighbours can hold work after a response for seconds.
 */
export async function eventually<T>(check: () => Promise<T>, tries = 150): Promise<T> {
  let last: unknown;
  for (let budget = tries * 100, pause = 5; ; budget -= pause, pause = Math.min(pause * 2, 100)) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    if (budget <= 0) throw last;
    await new Promise((r) => setTimeout(r, pause));
  }
}

let chatCounter = 0;
/** A Telegram user/chat id no other test uses. */
export const uniqueChatId = () => String(7_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000 + chatCounter++);

/** A Telegram bot row written straight to the database (no getMe or setWebhook), for tests that need only the row. */
export async function addTelegramChannel(workspaceId: string, config: Record<string, unknown>): Promise<string> {
  const id = `chan_${Math.random().toString(36).slice(2, 12)}`;
  await testDb().execute({
    sql: `INSERT INTO channel (id, workspace_id, kind, config, created_at) VALUES (?, ?, 'telegram', ?, ?)`,
    args: [id, workspaceId, JSON.stringify({ token: "123456:TEST-token", ...config }), Date.now()],
  });
  return id;
}

export async function outboxFor(leadId: string) {
  const rs = await testDb().execute({
    sql: `SELECT * FROM outbox WHERE lead_id = ? ORDER BY created_at, id`,
    args: [leadId],
  });
  return rs.rows as Record<string, any>[];
}

export async function enrollmentsFor(leadId: string) {
  const rs = await testDb().execute({ sql: `SELECT * FROM sequence_enrollment WHERE lead_id = ?`, args: [leadId] });
  return rs.rows as Record<string, any>[];
}
