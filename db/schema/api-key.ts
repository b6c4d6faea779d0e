import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspace } from "./workspace";

export const API_KEY_SCOPES = ["read", "write", "capture"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

// Only the SHA-256 of a key is stored; the key itself is shown once, when it is created.
export const apiKey = sqliteTable(
  "api_key",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // First characters of the key, so an owner can tell keys apart without the secret.
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull().unique(),
    // read = GET only; write = everything; capture = creating leads only (a website backend's key).
    scope: text("scope", { enum: API_KEY_SCOPES }).notNull().default("write"),
    // The person who created it; null for a workspace's first key and keys created with another key.
    createdByPersonId: text("created_by_person_id"),
    createdByKeyId: text("created_by_key_id"),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    // Listing a workspace's keys in the dashboard.
    index("api_key_workspace_idx").on(t.workspaceId),
  ],
);
