import { inArray, sql } from "drizzle-orm";
import { authThrottle } from "../../../db/schema";
import { AppError } from "../../errors";
import type { DomainContext } from "../context";

export interface ThrottleRule {
  key: string;
  limit: number;
  windowMs: number;
}

const FIVE_MINUTES = 5 * 60_000;

// Five wrong passwords per account per five minutes; more per address, where an office shares one IP.
export const signInByAccount = (account: string): ThrottleRule => ({
  key: `signin-account:${account}`,
  limit: 5,
  windowMs: FIVE_MINUTES,
});
export const signInByIp = (ip: string): ThrottleRule => ({ key: `signin-ip:${ip}`, limit: 20, windowMs: FIVE_MINUTES });
export const badKeysByIp = (ip: string): ThrottleRule => ({ key: `key-ip:${ip}`, limit: 20, windowMs: FIVE_MINUTES });
export const signUpsByIp = (ip: string): ThrottleRule => ({ key: `signup-ip:${ip}`, limit: 10, windowMs: 3_600_000 });

/** The select that reads the rules' counters; callers batch it with their own lookup (one round trip). */
export function throttleRead(ctx: DomainContext, rules: ThrottleRule[]) {
  return ctx.database.db
    .select()
    .from(authThrottle)
    .where(inArray(authThrottle.key, rules.length ? rules.map((r) => r.key) : [""]));
}

/** 429 with Retry-After when any rule's window is still open and full. */
export function enforceThrottle(
  ctx: DomainContext,
  rules: ThrottleRule[],
  rows: (typeof authThrottle.$inferSelect)[],
  what: string,
) {
  const now = ctx.now();
  let waitMs = 0;
  for (const rule of rules) {
    const row = rows.find((r) => r.key === rule.key);
    if (row && row.windowStart + rule.windowMs > now && row.count >= rule.limit) {
      waitMs = Math.max(waitMs, row.windowStart + rule.windowMs - now);
    }
  }
  if (waitMs > 0) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError("RATE_LIMITED", `Too many ${what}; retry in ${seconds} s.`, {
      headers: { "Retry-After": String(seconds) },
    });
  }
}

export async function checkThrottle(ctx: DomainContext, rules: ThrottleRule[], what: string) {
  enforceThrottle(ctx, rules, await throttleRead(ctx, rules).all(), what);
}

/** Counts one more failure (or sign-up) under each rule; a window that has passed starts again at 1. */
export async function countAttempt(ctx: DomainContext, rules: ThrottleRule[]) {
  if (rules.length === 0) return;
  const now = ctx.now();
  const { db } = ctx.database;
  const [first, ...rest] = rules.map((rule) => {
    const expired = sql`${authThrottle.windowStart} <= ${now - rule.windowMs}`;
    return db
      .insert(authThrottle)
      .values({ key: rule.key, windowStart: now, count: 1 })
      .onConflictDoUpdate({
        target: authThrottle.key,
        set: {
          count: sql`CASE WHEN ${expired} THEN 1 ELSE ${authThrottle.count} + 1 END`,
          windowStart: sql`CASE WHEN ${expired} THEN ${now} ELSE ${authThrottle.windowStart} END`,
        },
      });
  });
  await db.batch([first!, ...rest]);
}

/** A successful sign-in clears the account's counter, so earlier typos do not lock its owner out later. */
export async function clearThrottle(ctx: DomainContext, rule: ThrottleRule) {
  await ctx.database.db.delete(authThrottle).where(inArray(authThrottle.key, [rule.key]));
}
