import type { InStatement } from "@libsql/client/web";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { stmt } from "../../lib/statement";
import { webhookStatement } from "../../outbox/webhook-statements";
import { IDENTITY_SENDER, type Identity } from "../capture/lead-identities";
import type { Actor, Scope } from "../context";
import { LEAD_PERSONAL_SET, PERSONAL_TABLES } from "./lead-personal-data";

interface Addresses {
  email: string | null;
  phone: string | null;
  identities: Identity[];
}

async function loadAddresses({ ctx, workspace }: Scope, leadId: string): Promise<Addresses & { erased: boolean }> {
  const args = { ws: workspace.id, id: leadId };
  const [rs, ids] = await ctx.database.client.batch(
    [
      stmt(
        `SELECT email, phone, EXISTS (SELECT 1 FROM lead_event e
                      WHERE e.workspace_id = l.workspace_id AND e.lead_id = l.id AND e.type = 'erased') AS erased
            FROM lead l WHERE l.workspace_id = :ws AND l.id = :id`,
        args,
      ),
      stmt(`SELECT kind, address FROM lead_identity WHERE workspace_id = :ws AND lead_id = :id ORDER BY rowid`, args),
    ],
    "read",
  );
  const row = rs?.rows[0];
  if (!row) throw AppError.notFound("Lead");
  const str = (v: unknown) => (v === null || v === undefined || v === "" ? null : String(v));
  return {
    email: str(row.email),
    phone: str(row.phone),
    identities: (ids?.rows ?? []).map((r) => ({ kind: String(r.kind), address: String(r.address) })),
    erased: Number(row.erased) === 1,
  };
}

/** The (sender, address) pairs this person can be written to at: what the suppression list must hold. */
function reachableAt(a: Addresses): [string, string][] {
  const pairs: [string, string | null][] = [
    ["email", a.email],
    ...a.identities.flatMap((i): [string, string][] => {
      const sender = IDENTITY_SENDER[i.kind];
      return sender ? [[sender, i.address]] : [];
    }),
    // WhatsApp rows address a number as digits; a phone from a form reaches the same person there.
    ["whatsapp", a.phone ? a.phone.replace(/^\+/, "") : null],
  ];
  return pairs.filter((p): p is [string, string] => p[1] !== null);
}

/**
 * Erases what a lead holds about the person (GDPR art. 17 / CCPA deletion): name, contacts, channel ids,
 * messages, media references, form answers and notes are blanked or deleted in every table listed in
 * lead-personal-data.ts, in one atomic batch. The lead row stays, anonymous, so counts by source, status, rep
 * and time stay right. The addresses go on the suppression list (reason `erased`) so nothing is sent to them
 * again unless the person writes first (capture lifts it), and `lead.erased` goes to outgoing webhooks.
 * Erasing an erased lead changes nothing and sends nothing.
 */
export async function eraseLead(scope: Scope, leadId: string, actor: Actor): Promise<void> {
  const { ctx, workspace } = scope;
  const found = await loadAddresses(scope, leadId);
  if (found.erased) return;
  const now = ctx.now();
  const eventId = newId("evt", now);
  const args = { ws: workspace.id, id: leadId, now };
  const suppress = reachableAt(found);
  const statements: InStatement[] = [
    ...suppress.map(([sender, address]) => ({
      sql: `INSERT INTO suppression (workspace_id, sender, address, reason, detail, lead_id, created_at)
            VALUES (:ws, :sender, :address, 'erased', NULL, :id, :now) ON CONFLICT DO NOTHING`,
      args: { ...args, sender, address },
    })),
    // The open WhatsApp window remembers the address per number.
    {
      sql: `DELETE FROM whatsapp_window WHERE address IN (SELECT value FROM json_each(:addresses))
              AND channel_id IN (SELECT id FROM channel WHERE workspace_id = :ws)`,
      args: {
        ws: workspace.id,
        addresses: JSON.stringify(suppress.filter(([s]) => s === "whatsapp").map(([, a]) => a)),
      },
    },
    ...PERSONAL_TABLES.flatMap(({ table, erase, dropWhere }) => {
      const where = `workspace_id = :ws AND lead_id = :id`;
      return [
        ...(dropWhere ? [stmt(`DELETE FROM ${table} WHERE ${where} AND ${dropWhere}`, args)] : []),
        stmt(
          erase === "delete" ? `DELETE FROM ${table} WHERE ${where}` : `UPDATE ${table} SET ${erase} WHERE ${where}`,
          args,
        ),
      ];
    }),
    stmt(`UPDATE lead SET ${LEAD_PERSONAL_SET}, updated_at = :now WHERE workspace_id = :ws AND id = :id`, args),
    {
      sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, actor_id, data, created_at)
            VALUES (:eventId, :ws, :id, 'erased', :actorType, :actorId, '{}', :now)`,
      args: { ...args, eventId, actorType: actor.type, actorId: actor.id ?? null },
    },
    // After the blanking: receivers get the anonymous lead (id, status, source), enough to erase their copy.
    webhookStatement({ ws: workspace.id, leadId, type: "lead.erased", eventId, now }),
  ];
  await ctx.database.client.batch(statements, "write");
}

/**
 * After a capture from the person themselves: an `erased` suppression on any of their addresses is lifted,
 * since writing first is their consent to be answered (opt-outs and blocks stay).
 */
export function liftErasedSuppression(ws: string, addresses: string[]): InStatement {
  // A phone is suppressed as WhatsApp digits too.
  const all = addresses.flatMap((a) => (a.startsWith("+") ? [a, a.slice(1)] : [a]));
  return {
    sql: `DELETE FROM suppression WHERE workspace_id = :ws AND reason = 'erased'
            AND address IN (SELECT value FROM json_each(:addresses))`,
    args: { ws, addresses: JSON.stringify(all) },
  };
}

const JSON_COLUMNS = new Set(["data", "payload", "fields", "passed_rep_ids", "score_reasons", "later"]);

function plain(row: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => {
      if (typeof v !== "string" || !JSON_COLUMNS.has(k)) return [k, v];
      try {
        return [k, JSON.parse(v)];
      } catch {
        return [k, v];
      }
    }),
  );
}

/**
 * Everything stored about the person behind a lead (GDPR art. 15 / 20, CCPA access): the lead row and its
 * rows in every table of lead-personal-data.ts, plus the suppressions on their addresses, in one read.
 */
export async function exportLeadData(scope: Scope, leadId: string): Promise<Record<string, unknown>> {
  const { ctx, workspace } = scope;
  const found = await loadAddresses(scope, leadId);
  const args = { ws: workspace.id, id: leadId };
  const results = await ctx.database.client.batch(
    [
      stmt(`SELECT * FROM lead WHERE workspace_id = :ws AND id = :id`, args),
      ...PERSONAL_TABLES.map(({ table }) =>
        stmt(`SELECT * FROM ${table} WHERE workspace_id = :ws AND lead_id = :id ORDER BY rowid`, args),
      ),
      {
        sql: `SELECT sender, address, reason, created_at FROM suppression WHERE workspace_id = :ws
                AND (lead_id = :id OR address IN (SELECT value FROM json_each(:addresses)))`,
        args: { ...args, addresses: JSON.stringify(reachableAt(found).map(([, a]) => a)) },
      },
    ],
    "read",
  );
  const rows = (i: number) => (results[i]?.rows ?? []).map((r) => plain({ ...r }));
  return {
    exportedAt: new Date(ctx.now()).toISOString(),
    workspaceId: workspace.id,
    lead: rows(0)[0] ?? null,
    ...Object.fromEntries(PERSONAL_TABLES.map(({ table }, i) => [table, rows(i + 1)])),
    suppression: rows(PERSONAL_TABLES.length + 1),
  };
}
