import { integer } from "drizzle-orm/sqlite-core";

// Epoch milliseconds everywhere: sortable, range-filterable and identical in SQL and JS.
export const timestamps = {
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
};
