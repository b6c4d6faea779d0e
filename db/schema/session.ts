import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { person } from "./person";
import { workspace } from "./workspace";

// Console sessions live on the server: the cookie holds a random token whose SHA-256 is the id here,
// so deleting the row (sign-out, sign out everywhere, password change, revoked person) ends every copy of it.
export const session = sqliteTable(
  "session",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    personId: text("person_id")
      .notNull()
      .references(() => person.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    // Refreshed at most every few minutes; a session idle longer than the inactivity limit is refused.
    lastSeenAt: integer("last_seen_at").notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [
    // Sign out everywhere / password change: all sessions of one person.
    index("session_person_idx").on(t.personId),
  ],
);
