import { and, desc, eq, gt, ne } from "drizzle-orm";
import { type PersonRole, person, session, workspace } from "../../../db/schema";
import { AppError } from "../../errors";
import { randomToken } from "../../lib/ids";
import { sha256Hex } from "../../lib/sha256";
import type { DomainContext } from "../context";

// Signed-in people are signed out after this long without a request, and after 30 days whatever they do.
export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_MAX_MS = 30 * 24 * 3_600_000;
// lastSeenAt is written at most this often: a page view costs no write most of the time.
const TOUCH_EVERY_MS = 5 * 60_000;

export interface SignedInPerson {
  sessionId: string;
  personId: string;
  name: string;
  email: string | null;
  role: PersonRole;
  repId: string | null;
  hasPassword: boolean;
  workspaceId: string;
  defaultCountry: string;
  repsSeeUnassigned: boolean;
}

/** A new session row; the returned token goes into the cookie and only its hash is stored. */
export async function createSession(
  ctx: DomainContext,
  p: { workspaceId: string; personId: string; userAgent?: string | null },
) {
  const token = randomToken(43);
  const now = ctx.now();
  await ctx.database.db.insert(session).values({
    id: await sha256Hex(token),
    workspaceId: p.workspaceId,
    personId: p.personId,
    createdAt: now,
    lastSeenAt: now,
    userAgent: p.userAgent?.slice(0, 200) ?? null,
  });
  return token;
}

/** The person behind a session token, or null when it is unknown, ended, idle too long, or the person revoked. */
export async function findSession(ctx: DomainContext, token: string): Promise<SignedInPerson | null> {
  const id = await sha256Hex(token);
  const { db } = ctx.database;
  const row = await db
    .select({
      sessionId: session.id,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      personId: person.id,
      name: person.name,
      email: person.email,
      role: person.role,
      repId: person.repId,
      passwordHash: person.passwordHash,
      revokedAt: person.revokedAt,
      workspaceId: workspace.id,
      defaultCountry: workspace.defaultCountry,
      repsSeeUnassigned: workspace.repsSeeUnassigned,
    })
    .from(session)
    .innerJoin(person, and(eq(person.id, session.personId), eq(person.workspaceId, session.workspaceId)))
    .innerJoin(workspace, eq(workspace.id, session.workspaceId))
    .where(eq(session.id, id))
    .get();
  if (!row) return null;
  const now = ctx.now();
  if (row.revokedAt !== null || row.lastSeenAt + SESSION_IDLE_MS <= now || row.createdAt + SESSION_MAX_MS <= now) {
    await db.delete(session).where(eq(session.id, id));
    return null;
  }
  if (row.lastSeenAt + TOUCH_EVERY_MS <= now)
    await db.update(session).set({ lastSeenAt: now }).where(eq(session.id, id));
  const { passwordHash, revokedAt, createdAt, lastSeenAt, ...rest } = row;
  return { ...rest, hasPassword: passwordHash !== null };
}

export async function endSession(ctx: DomainContext, sessionId: string) {
  await ctx.database.db.delete(session).where(eq(session.id, sessionId));
}

/** Every session of a person, or every one but the caller's (a password change keeps the device that made it). */
export function endSessionsStatement(ctx: DomainContext, personId: string, exceptSessionId?: string) {
  const where = exceptSessionId
    ? and(eq(session.personId, personId), ne(session.id, exceptSessionId))
    : eq(session.personId, personId);
  return ctx.database.db.delete(session).where(where);
}

export interface SessionView {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  userAgent: string | null;
  current: boolean;
}

/** A person's sessions that can still sign in, most recently used first; `current` marks the caller's. */
export async function listSessions(ctx: DomainContext, personId: string, currentId: string): Promise<SessionView[]> {
  const now = ctx.now();
  const rows = await ctx.database.db
    .select()
    .from(session)
    .where(and(eq(session.personId, personId), gt(session.lastSeenAt, now - SESSION_IDLE_MS)))
    .orderBy(desc(session.lastSeenAt));
  return rows
    .filter((r) => r.createdAt + SESSION_MAX_MS > now)
    .map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt,
      userAgent: r.userAgent,
      current: r.id === currentId,
    }));
}

/** Ends one of the person's own sessions; another person's (or an unknown) id is NOT_FOUND. */
export async function endOwnSession(ctx: DomainContext, personId: string, sessionId: string) {
  const gone = await ctx.database.db
    .delete(session)
    .where(and(eq(session.id, sessionId), eq(session.personId, personId)))
    .returning({ id: session.id });
  if (gone.length === 0) throw new AppError("NOT_FOUND", "No such session of yours.");
}
