/**
 * Where the data about one person (one lead) lives, for erasure and export. Each entry is a table keyed by
 * `lead_id` and `workspace_id`, and what erasure does to its rows: delete them, or blank the columns that hold
 * personal data and keep the row as an anonymous count. A new table about a person is one more line here, and
 * both erasure and export pick it up.
 */
export interface PersonalTable {
  table: string;
  /** "delete", or the SET clause that blanks its personal columns (the row itself stays). */
  erase: "delete" | string;
  /** Rows matching this are deleted before the rest are blanked (messages not sent yet). */
  dropWhere?: string;
}

// Timeline data keeps only what stats need (who had it, status moves, routing): names, contacts, messages,
// form answers, notes and media references go.
const EVENT_DATA_KEPT = ["from", "to", "repId", "poolId", "reason", "channel", "formId", "skipped"];
const eventDataKept = `json_object(${EVENT_DATA_KEPT.map((k) => `'${k}', json_extract(data, '$.${k}')`).join(", ")})`;

export const PERSONAL_TABLES: PersonalTable[] = [
  { table: "lead_event", erase: `data = ${eventDataKept}` },
  // Sent and failed messages stay counted; their text, payload and address go. Unsent ones are dropped.
  {
    table: "outbox",
    dropWhere: "state = 'pending'",
    erase: `recipient = 'erased', payload = '{}', last_error = NULL, delivery_error = NULL`,
  },
  { table: "consent_event", erase: `address = NULL, text = NULL, message_id = NULL` },
  { table: "sequence_enrollment", erase: "delete" },
  { table: "telegram_conversation", erase: "delete" },
  // The person's addresses on chat channels: gone, so a later message from them starts a new lead.
  { table: "lead_identity", erase: "delete" },
  // The CSV rows a lead was imported from, as uploaded: the row and its outcome stay in the import's report.
  { table: "import_row", erase: `cells = '[]'` },
];

/** The lead row's own personal columns, blanked on erasure; status, source, owner, score and times stay. */
export const LEAD_PERSONAL_SET = `name = NULL, phone = NULL, email = NULL, telegram_user_id = NULL, whatsapp_id = NULL,
  whatsapp_user_id = NULL, message = NULL, fields = '{}', referrer = NULL, page_url = NULL, notes = NULL,
  utm_term = NULL, utm_content = NULL, score_reasons = NULL`;
