import { OPEN_STATUSES } from "./routing-context";

export const OPEN_STATUS_LIST = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(", ")})`;

/**
 * SQL, true when the rep bound to `repParam` may take one more open lead: uncapped, or fewer open leads
 * than their cap. It is evaluated inside the write that assigns the lead, and libSQL runs write batches
 * one at a time, so captures and queue drains racing for the last slot can never overshoot a cap —
 * whatever their reads said before. The lead being assigned is not yet owned, so it is not counted.
 */
// CASE, not OR: SQLite evaluated the count behind an OR even for an uncapped rep (measured: a rep's every open
// lead counted on each capture); CASE runs it only when there is a cap to compare with.
export const underCap = (repParam: string) =>
  `COALESCE((SELECT CASE WHEN r.max_open_leads IS NULL THEN 1 ELSE r.max_open_leads > (SELECT count(*) FROM lead o
     WHERE o.workspace_id = r.workspace_id AND o.owner_rep_id = r.id AND o.status IN ${OPEN_STATUS_LIST}) END
   FROM rep r WHERE r.id = ${repParam}), 0)`;
