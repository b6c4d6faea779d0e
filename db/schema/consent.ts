import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { lead } from "./lead";
import { workspace } from "./workspace";

export const CONSENT_ACTIONS = ["opt_out", "opt_in"] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];
// A form's consent checkbox, answered at capture: recorded only, it changes nothing about sending.
export const FORM_CONSENT_ACTIONS = ["consent_given", "consent_declined"] as const;

// The consent ledger: every opt-out and opt-in, append-only (nothing updates or deletes a row), with
// where it came from and the message that caused it. `lead.opted_out_at` is the current state; this is
// the record of how it got there, for the day someone asks "why did they (not) get this message?".
export const consentEvent = sqliteTable(
  "consent_event",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    leadId: text("lead_id")
      .notNull()
      .references(() => lead.id, { onDelete: "cascade" }),
    action: text("action", { enum: [...CONSENT_ACTIONS, ...FORM_CONSENT_ACTIONS] }).notNull(),
    // whatsapp, telegram, api, …: the channel the request came through.
    source: text("source").notNull(),
    // Who asked, as that channel knows them (wa_id, chat id); null for the owner API.
    address: text("address"),
    // The provider's id of the message that caused it (WhatsApp wamid); null when there is none.
    messageId: text("message_id"),
    // What the prospect sent ("STOP", a button's payload).
    text: text("text"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    // A lead's consent history, oldest first.
    index("consent_event_lead_idx").on(t.leadId, t.createdAt),
    // A replayed webhook records its opt-out once.
    uniqueIndex("consent_event_message_uq").on(t.workspaceId, t.messageId).where(sql`message_id is not null`),
  ],
);
