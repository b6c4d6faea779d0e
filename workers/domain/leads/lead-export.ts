import { toCsv } from "../../lib/csv";
import type { Scope } from "../context";
import { listReps } from "../team/reps";
import { type LeadFilter, LeadListQuery, listLeads } from "./leads";

/** The export's filters: the list's, without paging (the export reads every page itself). */
export const LeadExportQuery = LeadListQuery.omit({ limit: true, cursor: true });

/** Bounds one export to what a single Worker invocation can comfortably read and hold in memory. */
export const EXPORT_MAX_ROWS = 10_000;

const HEADER = [
  "id",
  "created_at",
  "name",
  "email",
  "phone",
  "source",
  "status",
  "score",
  "hot",
  "owner",
  "assigned_at",
  "first_response_at",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "referrer",
  "page_url",
  "message",
  "fields",
];

// Excel reads a CSV without a byte-order mark in the system's legacy code page, garbling non-Latin names.
const UTF8_BOM = "\uFEFF";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The leads matching the list filters (newest first, all pages up to EXPORT_MAX_ROWS) as CSV text. */
export async function exportLeadsCsv(scope: Scope, filter: Omit<LeadFilter, "limit" | "cursor">) {
  const reps = new Map((await listReps(scope)).map((r) => [r.id, r.name]));
  const rows: unknown[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listLeads(scope, { ...filter, limit: 200, cursor });
    for (const l of page.data) {
      rows.push([
        l.id,
        iso(l.createdAt),
        l.name,
        l.email,
        l.phone,
        l.source,
        l.status,
        l.score,
        l.hot ? "yes" : "no",
        l.ownerRepId ? (reps.get(l.ownerRepId) ?? l.ownerRepId) : null,
        iso(l.assignedAt),
        iso(l.firstResponseAt),
        l.utmSource,
        l.utmMedium,
        l.utmCampaign,
        l.utmTerm,
        l.utmContent,
        l.referrer,
        l.pageUrl,
        l.message,
        Object.keys(l.fields).length ? l.fields : null,
      ]);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < EXPORT_MAX_ROWS);
  return {
    csv: UTF8_BOM + toCsv(HEADER, rows.slice(0, EXPORT_MAX_ROWS)),
    count: Math.min(rows.length, EXPORT_MAX_ROWS),
    truncated: Boolean(cursor),
  };
}
