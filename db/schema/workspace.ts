import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";

export const RE_INQUIRY_POLICIES = ["reopen", "keep"] as const;
export const FAILED_STEP_POLICIES = ["stop", "skip"] as const;

export const workspace = sqliteTable("workspace", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  // ISO 3166 alpha-2; phones typed without a +country prefix are read in this country.
  defaultCountry: text("default_country").notNull().default("US"),
  // IANA zone for quiet hours, digests and working hours that do not set their own.
  timezone: text("timezone").notNull().default("UTC"),
  // The rep record of the owner: escalations and the last-resort fallback go there.
  ownerRepId: text("owner_rep_id"),
  // The unassigned queue drains hot leads first (else strictly oldest first).
  queueHotFirst: integer("queue_hot_first", { mode: "boolean" }).notNull().default(false),
  // Reps signed in to the console also see (and can claim) leads nobody owns.
  repsSeeUnassigned: integer("reps_see_unassigned", { mode: "boolean" }).notNull().default(false),
  // A won or lost lead that writes again: `reopen` makes it a new inquiry (routed and alerted), `keep` leaves it.
  reInquiryPolicy: text("re_inquiry_policy", { enum: RE_INQUIRY_POLICIES }).notNull().default("reopen"),
  // A sequence step that could not be delivered: `stop` ends the enrolment, `skip` goes on to the next step.
  failedStepPolicy: text("failed_step_policy", { enum: FAILED_STEP_POLICIES }).notNull().default("stop"),
  ...timestamps,
});
