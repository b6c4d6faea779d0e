import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { rep } from "./rep";
import { workspace } from "./workspace";

export const PERSON_ROLES = ["owner", "admin", "rep"] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

// Someone who signs in to the console. A rep person is tied to their rep record: that is whose leads they see.
export const person = sqliteTable(
  "person",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    // Lower-cased; null only for the owner created by the first sign-in with the workspace's API key.
    email: text("email"),
    name: text("name").notNull(),
    role: text("role", { enum: PERSON_ROLES }).notNull(),
    repId: text("rep_id").references(() => rep.id, { onDelete: "set null" }),
    // "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>"; null until the invite is accepted.
    passwordHash: text("password_hash"),
    // SHA-256 of the one-time invite token; cleared when it is used.
    inviteHash: text("invite_hash"),
    inviteExpiresAt: integer("invite_expires_at"),
    // SHA-256 of a one-time sign-in code sent to the linked chat; cleared when it is used.
    codeHash: text("code_hash"),
    codeExpiresAt: integer("code_expires_at"),
    // Access removed: every session and sign-in of this person is refused from then on.
    revokedAt: integer("revoked_at"),
    ...timestamps,
  },
  (t) => [
    // Sign-in by email: one person per address across the deployment, so the address alone names the workspace.
    uniqueIndex("person_email_uq").on(t.email).where(sql`email is not null`),
    // Accepting an invite looks the token up by its hash.
    uniqueIndex("person_invite_uq").on(t.inviteHash).where(sql`invite_hash is not null`),
    // Exactly one owner per workspace, even when two first sign-ins race.
    uniqueIndex("person_owner_uq").on(t.workspaceId).where(sql`role = 'owner'`),
    // The people page of a workspace.
    index("person_workspace_idx").on(t.workspaceId),
  ],
);
