import { underCap } from "../routing/assignment-guard";
import { ROUTING_UNCHANGED } from "../routing/routing-cache";
import { attachIdentities, identityMatch, LEGACY_IDENTITY_COLUMNS } from "./lead-identities";

/*
 * The SQL of the capture batch (capture-lead.ts), built once per isolate: the texts depend on no input, only on
 * the schema, so every capture sends the same strings (the server keeps them prepared, and `stmt` scans each
 * for its args once). Named args are the ones `captureLead` binds.
 */

// The routed owner, stored only if still under their cap inside the write (else the lead joins the queue).
const OWNER_IF_UNDER_CAP = `CASE WHEN :owner IS NOT NULL AND ${underCap(":owner")} THEN :owner END`;
// A closed lead that writes again in a workspace that reopens them (checked on the row inside the write).
const REOPENS = `:reopen = 1 AND status IN ('won', 'lost')`;

// Kinds that still have a column on `lead` get it filled too (named args :legacy0, :legacy1, …).
const legacy = Object.values(LEGACY_IDENTITY_COLUMNS).map((col, i) => [col, `legacy${i}`] as const);

// Dedup precedence: this capture's own new row, then phone, email and the channel identities in the order given.
// A replayed delivery id writes no lead either (its `created` event could not be written: no lead without its
// event); it answers with the lead that delivery recorded.
const matched = `COALESCE(
    (SELECT id FROM lead WHERE id = :id),
    (SELECT id FROM lead WHERE workspace_id = :ws AND phone = :phone),
    (SELECT id FROM lead WHERE workspace_id = :ws AND email = :email),
    ${identityMatch})`;
const notReplayed = `NOT EXISTS (SELECT 1 FROM lead_event WHERE workspace_id = :ws AND dedup_key = :dedupKey)`;
// An identifier is only merged into the matched lead if no other lead of the workspace owns it.
const ifFree = (col: string, arg: string) =>
  `(SELECT :${arg} WHERE NOT EXISTS (SELECT 1 FROM lead WHERE workspace_id = :ws AND ${col} = :${arg}))`;
const mergeIfFree = (col: string, arg: string) => `${col} = COALESCE(${col}, ${ifFree(col, arg)})`;

export const CAPTURE_SQL = {
  // A new lead with its owner (only while still under their cap), unless the contact or the delivery is known,
  // or, on an optimistic attempt, routing changed since the context was read.
  insertLead: `INSERT INTO lead (id, workspace_id, form_id, source, status, name, phone, email,
      ${legacy.map(([c]) => `${c}, `).join("")} message, fields,
      utm_source, utm_medium, utm_campaign, utm_term, utm_content, referrer,
      page_url, owner_rep_id, pool_id, assigned_at, sla_due_at, score, score_reasons, hot, last_inbound_at,
      created_at, updated_at)
    SELECT :id, :ws, :formId, :source, 'new', :name, :phone, :email,
      ${legacy.map(([c, a]) => `${ifFree(c, a)}, `).join("")} :message, :fields,
      :utmSource, :utmMedium, :utmCampaign, :utmTerm, :utmContent, :referrer, :pageUrl,
      ${OWNER_IF_UNDER_CAP}, :pool, CASE WHEN ${OWNER_IF_UNDER_CAP} IS NULL THEN NULL
        ELSE :now END, :slaDue,
      :score, :reasons, :hot,
      :now, :now, :now
    WHERE ${notReplayed} AND ${identityMatch} IS NULL AND (:optimistic = 0 OR ${ROUTING_UNCHANGED})
    ON CONFLICT DO NOTHING`,
  // A returning lead whose owner changes: recorded before the update, while the old owner is known.
  reassignedEvent: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, created_at)
    SELECT :assignEventId, :ws, id, CASE WHEN owner_rep_id IS NULL THEN 'assigned' ELSE 'reassigned' END,
      'system', NULL, json_set(:assignData, '$.from', owner_rep_id), :now
    FROM lead WHERE id = ${matched} AND id <> :id AND :reOwner IS NOT NULL
      AND owner_rep_id IS NOT :reOwner AND ${notReplayed}`,
  // A reopened lead: recorded before the update, while its closed status and old owner are known.
  reopenedEvent: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, created_at)
    SELECT :reopenEventId, :ws, id, 'reopened', 'system', NULL,
      json_object('fromStatus', status, 'fromRepId', owner_rep_id, 'repId', ${OWNER_IF_UNDER_CAP},
        'poolId', :pool, 'reason', :reason), :now
    FROM lead WHERE id = ${matched} AND id <> :id AND ${REOPENS} AND ${notReplayed}`,
  // Re-inquiry: first-touch attribution stays, missing contact details are filled in, answers refreshed.
  // A reopened lead starts over as a new inquiry: owner (within cap), SLA and first response from now.
  updateLead: `UPDATE lead SET name = COALESCE(name, :name),
      ${mergeIfFree("phone", "phone")}, ${mergeIfFree("email", "email")},
      ${legacy.map(([c, a]) => `${mergeIfFree(c, a)}, `).join("")}
      fields = json_patch(fields, :fields), last_inbound_at = :now, updated_at = :now,
      assigned_at = CASE WHEN ${REOPENS} THEN (CASE WHEN ${OWNER_IF_UNDER_CAP} IS NULL THEN NULL
        ELSE :now END)
        WHEN :reOwner IS NOT NULL AND owner_rep_id IS NOT :reOwner THEN :now ELSE assigned_at END,
      sla_due_at = CASE WHEN ${REOPENS} OR (:reOwner IS NOT NULL AND owner_rep_id IS NOT :reOwner)
        THEN :slaDue ELSE sla_due_at END,
      pool_id = CASE WHEN ${REOPENS} OR :reOwner IS NOT NULL THEN :pool ELSE COALESCE(pool_id, :pool) END,
      owner_rep_id = CASE WHEN ${REOPENS} THEN ${OWNER_IF_UNDER_CAP}
        ELSE COALESCE(:reOwner, owner_rep_id, :owner) END,
      first_response_at = CASE WHEN ${REOPENS} THEN NULL ELSE first_response_at END,
      claimed_at = CASE WHEN ${REOPENS} THEN NULL ELSE claimed_at END,
      escalated_at = CASE WHEN ${REOPENS} THEN NULL ELSE escalated_at END,
      reassign_count = CASE WHEN ${REOPENS} THEN 0 ELSE reassign_count END,
      passed_rep_ids = CASE WHEN ${REOPENS} THEN '[]' ELSE passed_rep_ids END,
      status = CASE WHEN ${REOPENS} THEN 'new' ELSE status END,
      score_reasons = CASE WHEN COALESCE(score, 0) <= :score THEN :reasons ELSE score_reasons END,
      hot = CASE WHEN COALESCE(score, 0) <= :score THEN :hot ELSE hot END,
      score = MAX(COALESCE(score, 0), :score)
    WHERE id = ${matched} AND id <> :id AND ${notReplayed} AND :optimistic = 0`,
  // The inquiry itself: `created` for a new lead, `re-inquiry` for a known one; the delivery id rides on it.
  inquiryEvent: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, dedup_key,
      created_at)
    SELECT :eventId, :ws, m.id, CASE WHEN m.id = :id THEN 'created' ELSE 're-inquiry' END,
      :actorType, :actorId, :data, :dedupKey, :now
    FROM (SELECT ${matched} AS id) AS m WHERE m.id IS NOT NULL AND (:optimistic = 0 OR m.id = :id)
    ON CONFLICT DO NOTHING`,
  // A new lead's assignment (or why nobody got it: also a rep who reached their cap meanwhile).
  assignedEvent: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, created_at)
    SELECT :assignEventId, :ws, :id, CASE WHEN owner_rep_id IS NULL THEN 'unassigned' ELSE 'assigned' END,
      'system', NULL, CASE WHEN owner_rep_id IS NOT :owner
        THEN json_set(:assignData, '$.repId', NULL, '$.reason', 'at-cap') ELSE :assignData END, :now
    FROM lead WHERE id = :id`,
  // The channel identities this inquiry brought, recorded with its event (never on a replay).
  attachIdentities: attachIdentities(`SELECT lead_id FROM lead_event WHERE id = :eventId`),
  // The lead as the batch left it, whichever way it went; a replayed delivery answers with the lead it recorded.
  readBack: `SELECT lead.*, lead.id = :id AS created,
      EXISTS (SELECT 1 FROM lead_event WHERE id = :eventId) AS recorded
    FROM lead WHERE id = COALESCE(${matched},
      (SELECT lead_id FROM lead_event WHERE workspace_id = :ws AND dedup_key = :dedupKey))`,
} as const;
