import { and, eq, isNull } from "drizzle-orm";
import { person } from "../../../db/schema";
import { AppError } from "../../errors";
import { normalizeEmail } from "../../lib/contact";
import { verifyPassword } from "../../lib/password";
import { sha256Hex } from "../../lib/sha256";
import { timingSafeEqualText } from "../../lib/timing-safe";
import { insertedIds } from "../../outbox/outbox-row";
import { personMessageStatements } from "../../outbox/person-message";
import { sendSoon } from "../../outbox/send-now";
import type { DomainContext } from "../context";
import {
  checkThrottle,
  clearThrottle,
  countAttempt,
  signInByAccount,
  signInByIp,
  type ThrottleRule,
} from "./auth-throttle";
import type { Person } from "./people";

const CODE_TTL_MS = 10 * 60_000;
const REFUSED = "Wrong email or password.";

function rulesFor(account: string, ip: string | null): ThrottleRule[] {
  return [signInByAccount(account), ...(ip ? [signInByIp(ip)] : [])];
}

async function activePerson(ctx: DomainContext, email: string): Promise<Person | null> {
  const where = and(eq(person.email, email), isNull(person.revokedAt));
  return (await ctx.database.db.select().from(person).where(where).get()) ?? null;
}

/**
 * Email + password → the person, or UNAUTHORIZED. Failures count per account and per address: past the limit
 * the answer is 429 with Retry-After, before any password is checked, so guessing stops there.
 */
export async function signInWithPassword(
  ctx: DomainContext,
  input: { email: string; password: string; ip: string | null },
): Promise<Person> {
  const email = normalizeEmail(input.email) ?? input.email.trim().toLowerCase().slice(0, 254);
  const rules = rulesFor(email, input.ip);
  await checkThrottle(ctx, rules, "failed sign-ins");
  const found = await activePerson(ctx, email);
  const ok = await verifyPassword(input.password.slice(0, 200), found?.passwordHash ?? null);
  if (!found || !ok) {
    await countAttempt(ctx, rules);
    throw new AppError("UNAUTHORIZED", REFUSED);
  }
  await clearThrottle(ctx, signInByAccount(email));
  return found;
}

/**
 * A six-digit code to the chat linked to the person's rep record. The answer is the same whether or not
 * the address exists or has a chat, so the form tells an attacker nothing.
 */
export async function sendSignInCode(ctx: DomainContext, input: { email: string; ip: string | null }): Promise<void> {
  const email = normalizeEmail(input.email);
  if (!email) throw AppError.validation({ email: "Not a valid email address." });
  await checkThrottle(ctx, rulesFor(email, input.ip), "failed sign-ins");
  const found = await activePerson(ctx, email);
  if (!found?.repId) return;
  const code = String(crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000).padStart(6, "0");
  const now = ctx.now();
  const { db, client } = ctx.database;
  const codeHash = await sha256Hex(`${found.id}:${code}`);
  await db
    .update(person)
    .set({ codeHash, codeExpiresAt: now + CODE_TTL_MS })
    .where(eq(person.id, found.id));
  const text = `Your LeadRelay sign-in code: ${code} (valid 10 minutes, once). If you did not ask for it, ignore this.`;
  const key = `code:${found.id}:${now}`;
  const message = personMessageStatements(ctx.channels, { ws: found.workspaceId, repId: found.repId, text, key, now });
  const ids = insertedIds(await client.batch(message, "write"));
  sendSoon(ctx, ids);
}

/** The code from the chat → the person; it works once, for ten minutes, and wrong codes count as failed sign-ins. */
export async function signInWithCode(
  ctx: DomainContext,
  input: { email: string; code: string; ip: string | null },
): Promise<Person> {
  const email = normalizeEmail(input.email) ?? input.email.trim().toLowerCase().slice(0, 254);
  const rules = rulesFor(email, input.ip);
  await checkThrottle(ctx, rules, "failed sign-ins");
  const found = await activePerson(ctx, email);
  const given = found ? await sha256Hex(`${found.id}:${input.code.trim()}`) : "";
  const valid = found?.codeHash && (found.codeExpiresAt ?? 0) > ctx.now() && timingSafeEqualText(given, found.codeHash);
  if (!found || !valid) {
    await countAttempt(ctx, rules);
    throw new AppError("UNAUTHORIZED", "Wrong or expired code.");
  }
  // Spent only if still the same code: two tabs submitting it at once sign in once.
  const spent = await ctx.database.db
    .update(person)
    .set({ codeHash: null, codeExpiresAt: null })
    .where(and(eq(person.id, found.id), eq(person.codeHash, found.codeHash!)))
    .returning({ id: person.id })
    .get();
  if (!spent) throw new AppError("UNAUTHORIZED", "Wrong or expired code.");
  await clearThrottle(ctx, signInByAccount(email));
  return found;
}
