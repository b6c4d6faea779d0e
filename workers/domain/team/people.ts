import { z } from "@hono/zod-openapi";
import type { InStatement, InValue, ResultSet } from "@libsql/client/web";
import { and, asc, eq, isNull } from "drizzle-orm";
import { PERSON_ROLES, person } from "../../../db/schema";
import { AppError } from "../../errors";
import { normalizeEmail } from "../../lib/contact";
import { newId, randomToken } from "../../lib/ids";
import { hashPassword, passwordProblem, verifyPassword } from "../../lib/password";
import { sha256Hex } from "../../lib/sha256";
import { insertedIds, outboxRowInsert } from "../../outbox/outbox-row";
import { personMessageStatements } from "../../outbox/person-message";
import { sendSoon } from "../../outbox/send-now";
import type { DomainContext, Scope } from "../context";
import { canManage, type Principal } from "./principal";
import { requireWorkspaceRep } from "./reps";
import { endSessionsStatement } from "./sessions";

export type Person = typeof person.$inferSelect;
const INVITE_TTL_MS = 7 * 24 * 3_600_000;

/** What the API and the console show of a person: never a hash. */
export function publicPerson(p: Person) {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    role: p.role,
    repId: p.repId,
    status: p.revokedAt !== null ? ("revoked" as const) : p.passwordHash ? ("active" as const) : ("invited" as const),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
export type PublicPerson = ReturnType<typeof publicPerson>;

function requireManager(by: Principal) {
  if (!canManage(by)) throw new AppError("FORBIDDEN", "Only the owner or an admin can manage people.");
}

export async function listPeople({ ctx, workspace }: Scope): Promise<PublicPerson[]> {
  const rows = await ctx.database.db
    .select()
    .from(person)
    .where(eq(person.workspaceId, workspace.id))
    .orderBy(asc(person.createdAt))
    .all();
  return rows.map(publicPerson);
}

async function getPersonRow({ ctx, workspace }: Scope, id: string): Promise<Person> {
  const row = await ctx.database.db
    .select()
    .from(person)
    .where(and(eq(person.workspaceId, workspace.id), eq(person.id, id)))
    .get();
  if (!row) throw AppError.notFound("Person");
  return row;
}

export async function getPerson(s: Scope, id: string): Promise<PublicPerson> {
  return publicPerson(await getPersonRow(s, id));
}

export const InviteInput = z.object({
  email: z.string().trim().min(3).max(254),
  name: z.string().trim().min(1).max(120),
  role: z.enum(["admin", "rep"]),
  repId: z.string().max(64).nullish(),
});
export type InviteInput = z.infer<typeof InviteInput>;

/**
 * A person who signs in later through a one-time link: returned here (shown once), and sent to the chat of
 * their rep record and to their email when those are available. Only its hash is stored.
 */
export async function invitePerson(s: Scope, input: InviteInput, by: Principal, origin: string) {
  requireManager(by);
  const { ctx, workspace } = s;
  const email = normalizeEmail(input.email);
  if (!email) throw AppError.validation({ email: "Not a valid email address." });
  if (input.role === "rep" && !input.repId)
    throw AppError.validation({ repId: "A rep person needs the rep record whose leads they work." });
  if (input.repId) await requireWorkspaceRep(ctx, workspace.id, input.repId, "repId");
  const now = ctx.now();
  const token = randomToken(32);
  const row: Person = {
    id: newId("psn", now),
    workspaceId: workspace.id,
    email,
    name: input.name,
    role: input.role,
    repId: input.repId ?? null,
    passwordHash: null,
    inviteHash: await sha256Hex(token),
    inviteExpiresAt: now + INVITE_TTL_MS,
    codeHash: null,
    codeExpiresAt: null,
    revokedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  const inviteUrl = `${origin}/app/invite/${token}`;
  const text =
    `You are invited to LeadRelay as ${input.role}. ` + `Set your password here (valid 7 days, once): ${inviteUrl}`;
  const messages: InStatement[] = [
    ...(row.repId
      ? personMessageStatements({ ws: workspace.id, repId: row.repId, text, key: `invite:${row.id}`, now })
      : []),
    ...(ctx.config.EMAIL_API_URL
      ? [
          outboxRowInsert({
            workspaceId: workspace.id,
            kind: "sign_in",
            sender: "email",
            channelId: null,
            recipient: email,
            payload: { subject: "Your LeadRelay invite", text },
            key: `invite:${row.id}:email`,
            now,
          }),
        ]
      : []),
  ];
  const { db, client } = ctx.database;
  const inUse = () =>
    new AppError("CONFLICT", "Someone with this email already has an account.", {
      fields: { email: "Already in use." },
    });
  if (await db.select({ id: person.id }).from(person).where(eq(person.email, email)).get()) throw inUse();
  // The person and their invite messages in one batch: no invited person whose link went nowhere, and the reverse.
  const insert = db.insert(person).values(row).toSQL();
  let results: ResultSet[];
  try {
    results = await client.batch([{ sql: insert.sql, args: insert.params as InValue[] }, ...messages], "write");
  } catch (err) {
    // Two invites for one address at once: the unique index decides, the loser gets the same 409.
    if (String(err).includes("UNIQUE")) throw inUse();
    throw err;
  }
  const sent = insertedIds(results);
  sendSoon(ctx, sent);
  return { person: publicPerson(row), inviteUrl, sentTo: sent.length };
}

/** The invite link's page: who it is for, or NOT_FOUND when it is unknown, used or expired. */
export async function findInvite(ctx: DomainContext, token: string): Promise<Person> {
  const row = await ctx.database.db
    .select()
    .from(person)
    .where(and(eq(person.inviteHash, await sha256Hex(token)), isNull(person.revokedAt)))
    .get();
  if (!row || (row.inviteExpiresAt ?? 0) <= ctx.now())
    throw new AppError("NOT_FOUND", "This invite link is unknown, already used or expired.");
  return row;
}

/** Sets the first password and spends the link: a second use finds nothing. */
export async function acceptInvite(ctx: DomainContext, token: string, password: string): Promise<Person> {
  const problem = passwordProblem(password);
  if (problem) throw AppError.validation({ password: problem });
  const row = await findInvite(ctx, token);
  const updated = await ctx.database.db
    .update(person)
    .set({ passwordHash: await hashPassword(password), inviteHash: null, inviteExpiresAt: null, updatedAt: ctx.now() })
    .where(and(eq(person.id, row.id), eq(person.inviteHash, row.inviteHash!)))
    .returning()
    .get();
  if (!updated) throw new AppError("NOT_FOUND", "This invite link is unknown, already used or expired.");
  return updated;
}

export const PersonPatch = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  role: z.enum(PERSON_ROLES).optional().openapi({ description: '"owner" transfers ownership (owner only)' }),
  repId: z.string().max(64).nullable().optional(),
});
export type PersonPatch = z.infer<typeof PersonPatch>;

/**
 * Name, role and rep record. Making someone the owner is a transfer of ownership, which only the owner can
 * do; the old owner becomes an admin in the same batch, so a workspace always has exactly one owner.
 */
export async function updatePerson(s: Scope, id: string, patch: PersonPatch, by: Principal): Promise<PublicPerson> {
  requireManager(by);
  const { ctx, workspace } = s;
  const target = await getPersonRow(s, id);
  if (target.revokedAt !== null) throw new AppError("CONFLICT", "This person's access was removed; invite them again.");
  const byOwner = by.kind === "person" && by.role === "owner";
  if (target.role === "owner" && !(byOwner && by.personId === target.id)) {
    throw new AppError("FORBIDDEN", "Only the owner can change the owner's account.");
  }
  if (patch.role === "owner" && target.role !== "owner" && !byOwner) {
    throw new AppError("FORBIDDEN", "Only the owner can transfer ownership.", { fields: { role: "Owner-only." } });
  }
  if (target.role === "owner" && patch.role && patch.role !== "owner") {
    throw AppError.validation({ role: "Transfer ownership to someone else instead; the workspace keeps one owner." });
  }
  if (patch.repId) await requireWorkspaceRep(ctx, workspace.id, patch.repId, "repId");
  const role = patch.role ?? target.role;
  const repId = patch.repId !== undefined ? patch.repId : target.repId;
  if (role === "rep" && !repId)
    throw AppError.validation({ repId: "A rep person needs the rep record whose leads they work." });
  const now = ctx.now();
  const { db } = ctx.database;
  const update = db
    .update(person)
    .set({ name: patch.name ?? target.name, role, repId, updatedAt: now })
    .where(and(eq(person.workspaceId, workspace.id), eq(person.id, id)))
    .returning();
  if (patch.role === "owner" && target.role !== "owner" && by.kind === "person") {
    const demote = db
      .update(person)
      .set({ role: "admin", updatedAt: now })
      .where(and(eq(person.workspaceId, workspace.id), eq(person.id, by.personId)));
    // Demote first: the one-owner unique index is checked statement by statement.
    const [, rows] = await db.batch([demote, update]);
    return publicPerson(rows[0]!);
  }
  return publicPerson((await update.get())!);
}

/** Removes a person's access: every session ends in the same batch, so their very next request is refused. */
export async function revokePerson(s: Scope, id: string, by: Principal): Promise<PublicPerson> {
  requireManager(by);
  const { ctx, workspace } = s;
  const target = await getPersonRow(s, id);
  if (target.role === "owner")
    throw new AppError("FORBIDDEN", "The owner cannot be removed; transfer ownership first.");
  const now = ctx.now();
  const { db } = ctx.database;
  const [rows] = await db.batch([
    db
      .update(person)
      .set({
        revokedAt: target.revokedAt ?? now,
        inviteHash: null,
        inviteExpiresAt: null,
        codeHash: null,
        codeExpiresAt: null,
        updatedAt: now,
      })
      .where(and(eq(person.workspaceId, workspace.id), eq(person.id, id)))
      .returning(),
    endSessionsStatement(ctx, id),
  ]);
  return publicPerson(rows[0]!);
}

/**
 * A new password (and, for an owner created by the upgrade path, their email). Asks for the current one when
 * there is one; ends every other session of the person, so a stolen cookie stops working.
 */
export async function changePassword(
  ctx: DomainContext,
  who: { personId: string; sessionId: string },
  input: { current?: string | undefined; password: string; email?: string | undefined },
) {
  const row = await ctx.database.db.select().from(person).where(eq(person.id, who.personId)).get();
  if (!row) throw AppError.notFound("Person");
  if (row.passwordHash && !(await verifyPassword(input.current ?? "", row.passwordHash))) {
    throw AppError.validation({ current: "That is not your current password." });
  }
  const problem = passwordProblem(input.password);
  if (problem) throw AppError.validation({ password: problem });
  let email = row.email;
  if (!email || input.email) {
    email = normalizeEmail(input.email ?? "");
    if (!email) throw AppError.validation({ email: "Not a valid email address." });
    const taken = await ctx.database.db.select({ id: person.id }).from(person).where(eq(person.email, email)).get();
    if (taken && taken.id !== row.id)
      throw AppError.validation({ email: "Someone else already signs in with this address." });
  }
  const { db } = ctx.database;
  await db.batch([
    db
      .update(person)
      .set({ passwordHash: await hashPassword(input.password), email, updatedAt: ctx.now() })
      .where(eq(person.id, row.id)),
    endSessionsStatement(ctx, row.id, who.sessionId),
  ]);
}

/** The owner behind the workspace's API key on the first console sign-in (the upgrade path). */
export async function ownerForKeySignIn(ctx: DomainContext, workspaceId: string): Promise<Person | null> {
  const { db } = ctx.database;
  const owner = await db
    .select()
    .from(person)
    .where(and(eq(person.workspaceId, workspaceId), eq(person.role, "owner")))
    .get();
  // Once the owner has a password, the key opens the API only: the console is for people.
  if (owner) return owner.passwordHash || owner.revokedAt !== null ? null : owner;
  const now = ctx.now();
  const row: Person = {
    id: newId("psn", now),
    workspaceId,
    email: null,
    name: "Owner",
    role: "owner",
    repId: null,
    passwordHash: null,
    inviteHash: null,
    inviteExpiresAt: null,
    codeHash: null,
    codeExpiresAt: null,
    revokedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(person).values(row).onConflictDoNothing();
  // Another first sign-in may have won the race: whoever is the owner now.
  return (
    (await db
      .select()
      .from(person)
      .where(and(eq(person.workspaceId, workspaceId), eq(person.role, "owner")))
      .get()) ?? null
  );
}
