import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Failed sign-ins and keys (and sign-ups) counted per IP or account in fixed windows. In the database, not
// the Rate Limiting binding: "5 wrong passwords then 429" must hold exactly, across isolates and locations.
export const authThrottle = sqliteTable("auth_throttle", {
  // e.g. "signin-ip:203.0.113.9", "signin-account:ana@example.com", "key-ip:…", "signup-ip:…"
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});
