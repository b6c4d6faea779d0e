import { OPEN_STATUSES } from "./routing-context";

export const OPEN_STATUS_LIST = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/**
 * SQL, true when the rep bound to `repParam` may take one more open lead: uncapped, or fewer open leads
 * than their cap. It is evaluated inside the write that assigns the lead, and libSQL runs write batches
 * one at a time, so captures and queue drains racing for the last slot can never overshoot a cap —
 * whatever their reads said before. The lead being assigned is not yet owned, so it is not counted.
 * The count is the rep's `rep_open_leads` row, which triggers keep in step with every lead write (one row
 * read, not a count of the rep's open leads); a rep without that row is treated as at cap, never over it.
 */
// CASE, not OR: SQLite evaluated the subquery behind an OR even for an uncapped rep; CASE reads it only when there
// is a cap to compare with.
export const underCap = (repParam: string) =>
  `COALESCE((SELECT CASE WHEN r.max_open_leads IS NULL THEN 1 ELSE r.max_open_leads > (SELECT o.open_leads
     FROM rep_open_leads o WHERE o.rep_id = r.id) END
   FROM rep r WHERE r.id = ${repParam}), 0)`;
