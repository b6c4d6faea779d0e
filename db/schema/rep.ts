import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { workspace } from "./workspace";

export type WorkingHours = Partial<Record<"0" | "1" | "2" | "3" | "4" | "5" | "6", [string, string][]>>;
export interface Vacation {
  from: number;
  to: number;
}

export const rep = sqliteTable(
  "rep",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    email: text("email"),
    phone: text("phone"),
    telegramChatId: text("telegram_chat_id"),
    // The bot the rep started (a bot may only write to chats that started it): alerts go out through it.
    // Null (linked by the owner API): the workspace's first bot. No foreign key, so removing a bot never
    // fails on it; a removed bot's id simply matches no channel and the first bot is used.
    telegramChannelId: text("telegram_channel_id"),
    whatsappPhone: text("whatsapp_phone"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    paused: integer("paused", { mode: "boolean" }).notNull().default(false),
    // Relative share of new leads in the rotation (smooth weighted round robin).
    weight: integer("weight").notNull().default(1),
    // Open leads above which the rep is skipped; null = no cap.
    maxOpenLeads: integer("max_open_leads"),
    // IANA zone of the working hours; null = the workspace's.
    timezone: text("timezone"),
    // Per weekday (0 = Sunday) lists of ["HH:MM", "HH:MM"] ranges in the rep's zone; null = always on.
    workingHours: text("working_hours", { mode: "json" }).$type<WorkingHours | null>(),
    // Absences as epoch-ms ranges [from, to).
    vacations: text("vacations", { mode: "json" }).$type<Vacation[]>().notNull().default([]),
    ...timestamps,
  },
  (t) => [
    // Loading a workspace's rotation pool on every capture.
    index("rep_workspace_idx").on(t.workspaceId),
  ],
);
