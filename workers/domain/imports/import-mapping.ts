import { z } from "zod";
import { normalizeEmail, normalizePhone } from "../../lib/contact";
import { type CaptureInput, captureInputSchema } from "../capture/capture-lead";

/** What a CSV column can hold; `field` keeps it as a custom field named after its header. */
export const IMPORT_TARGETS = [
  "ignore",
  "name",
  "email",
  "phone",
  "company",
  "message",
  "source",
  "owner",
  "field",
] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];
const SINGLE: ImportTarget[] = ["name", "email", "phone", "company", "message", "source", "owner"];

export const TARGET_LABELS: Record<ImportTarget, string> = {
  ignore: "Ignore",
  name: "Name",
  email: "Email",
  phone: "Phone",
  company: "Company",
  message: "Message",
  source: "Source (where the lead came from)",
  owner: "Owner rep (name or email)",
  field: "Custom field",
};

// Header words that say what a column holds, so most files need no mapping by hand.
const GUESSES: [RegExp, ImportTarget][] = [
  [/^(e-?mail|email address|mail)$/, "email"],
  [/^(phone|phone number|mobile|tel|telephone|cell|whatsapp)$/, "phone"],
  [/^(name|full name|contact|contact name|lead|lead name|client)$/, "name"],
  [/^(company|company name|organi[sz]ation|business|account)$/, "company"],
  [/^(message|notes?|comment|comments|inquiry|enquiry|description)$/, "message"],
  [/^(source|lead source|channel|utm source|utm_source|origin)$/, "source"],
  [/^(owner|rep|sales rep|assigned to|assignee|owner email|agent)$/, "owner"],
];

export function guessTarget(header: string): ImportTarget {
  const h = header.trim().toLowerCase();
  return GUESSES.find(([re]) => re.test(h))?.[1] ?? "field";
}

/** A header as a custom field's key: what the lead's `fields` and routing rules match on. */
export function fieldKey(header: string, index: number): string {
  const key = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 64);
  return key || `column_${index + 1}`;
}

/** The owner's choices on the mapping page: a target per column, who owns the leads, whether to announce them. */
export const ImportSettings = z
  .object({
    columns: z.array(z.enum(IMPORT_TARGETS, { message: "Choose what this column holds." })),
    // "rotation": the pool's round robin (or the row's owner column when mapped) · else a rep id for every row.
    owner: z.string().trim().min(1).max(64).default("rotation"),
    notify: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    for (const target of SINGLE) {
      const at = s.columns.flatMap((t, i) => (t === target ? [i] : []));
      for (const i of at.slice(1))
        ctx.addIssue({ code: "custom", path: ["columns", i], message: `Another column is already ${target}.` });
    }
    if (!s.columns.includes("email") && !s.columns.includes("phone"))
      ctx.addIssue({
        code: "custom",
        path: ["columns"],
        message: "Map a column to Email or Phone: every lead needs a way to reach it.",
      });
  });
export type ImportSettings = z.output<typeof ImportSettings>;

export interface RepRef {
  id: string;
  name: string;
  email: string | null;
  active: boolean;
}

export type RowCheck =
  | { ok: true; input: CaptureInput; ownerRepId: string | undefined }
  | { ok: false; reason: string };

/**
 * One row as `captureLead`'s input, or why it cannot be one. The contact is checked with the same normalizers
 * the capture uses, so the preview tells the owner what the import will reject; the capture still has the last
 * word (a row it refuses is rejected with its message).
 */
export function checkRow(
  cells: string[],
  header: string[],
  s: ImportSettings,
  reps: RepRef[],
  defaultCountry: string,
): RowCheck {
  const input = { source: "import" as const, fields: {} as Record<string, string>, utm: {} as { source?: string } };
  const named: Partial<Record<ImportTarget, string>> = {};
  s.columns.forEach((target, i) => {
    const value = (cells[i] ?? "").trim();
    if (target === "ignore" || value === "") return;
    if (target === "field") input.fields[fieldKey(header[i] ?? "", i)] = value;
    else named[target] = value;
  });
  if (named.company) input.fields.company = named.company;
  if (named.source) input.utm.source = named.source;
  const candidate: CaptureInput = {
    ...input,
    ...(named.name ? { name: named.name } : {}),
    ...(named.email ? { email: named.email } : {}),
    ...(named.phone ? { phone: named.phone } : {}),
    ...(named.message ? { message: named.message } : {}),
  };
  const reasons: string[] = [];
  const parsed = captureInputSchema.safeParse(candidate);
  if (!parsed.success) for (const i of parsed.error.issues) reasons.push(`${i.path.join(".")}: ${i.message}`);
  if (named.email && normalizeEmail(named.email) === null) reasons.push("email: Not a valid email address.");
  if (named.phone && normalizePhone(named.phone, defaultCountry) === null)
    reasons.push("phone: Not a valid phone number.");
  if (!named.email && !named.phone) reasons.push("contact: A phone number or an email address is required.");

  let ownerRepId: string | undefined;
  if (s.owner !== "rotation") ownerRepId = s.owner;
  else if (named.owner) {
    const key = named.owner.toLowerCase();
    const rep = reps.find((r) => r.active && (r.name.toLowerCase() === key || r.email?.toLowerCase() === key));
    if (rep) ownerRepId = rep.id;
    else reasons.push(`owner: No active rep is named "${named.owner}".`);
  }
  return reasons.length > 0 ? { ok: false, reason: reasons.join(" ") } : { ok: true, input: candidate, ownerRepId };
}
