import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";
import { workspace } from "./workspace";

export type FormFieldType = "text" | "email" | "tel" | "textarea" | "select" | "number" | "checkbox";

export interface FormField {
  name: string;
  label: string;
  type: FormFieldType;
  required?: boolean;
  maxLength?: number;
  options?: string[];
}

export const form = sqliteTable(
  "form",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspace.id, { onDelete: "cascade" }),
    // Public, unguessable id used in the embed snippet and POST /f/:formKey.
    publicKey: text("public_key").notNull().unique(),
    name: text("name").notNull(),
    fields: text("fields", { mode: "json" }).$type<FormField[]>().notNull(),
    // Origins allowed to post from a browser; empty = any origin.
    allowedOrigins: text("allowed_origins", { mode: "json" }).$type<string[]>().notNull(),
    // A field humans never see; bots fill it and are silently dropped.
    honeypotField: text("honeypot_field").notNull().default("company_website"),
    successMessage: text("success_message").notNull().default("Thanks! We will be in touch shortly."),
    redirectUrl: text("redirect_url"),
    // Instant auto-reply to a new lead ({name}, {rep_name}, {form}); null = the thank-you response only.
    autoReplyText: text("auto_reply_text"),
    autoReplySubject: text("auto_reply_subject"),
    // Cloudflare Turnstile site key shown by the embed snippet; verified only when TURNSTILE_SECRET is set.
    turnstileSiteKey: text("turnstile_site_key"),
    // An optional checkbox under the fields; its text and the visitor's answer go to the consent ledger.
    consentText: text("consent_text"),
    ...timestamps,
  },
  (t) => [
    // Listing a workspace's forms.
    index("form_workspace_idx").on(t.workspaceId),
  ],
);
