// The hand-written parts of two migrations: lead_identity's backfill from the old identity columns, and the
// triggers that move routing_version. Run on the libsql engine in-process, migration by migration as the
// journal lists them, so the backfill meets rows written under the schema before it.

import { readFileSync } from "node:fs";
import Database from "libsql";
import { describe, expect, it } from "vitest";

const folder = new URL("../../db/migrations/", import.meta.url);
const journal = JSON.parse(readFileSync(new URL("meta/_journal.json", folder), "utf8")) as {
  entries: { tag: string }[];
};

function migrate(db: Database.Database, filter: (tag: string) => boolean) {
  db.exec("PRAGMA foreign_keys = ON");
  for (const { tag } of journal.entries.filter((e) => filter(e.tag))) {
    const sql = readFileSync(new URL(`${tag}.sql`, folder), "utf8");
    for (const statement of sql.split("--> statement-breakpoint")) if (statement.trim()) db.exec(statement);
  }
}

const before = (tag: string) => tag < "0013_lead_identity";

function seed(db: Database.Database) {
  const now = 1_700_000_000_000;
  db.prepare(
    `INSERT INTO workspace (id, name, default_country, timezone, created_at, updated_at)
     VALUES (?, ?, 'US', 'UTC', ?, ?)`,
  ).run("ws_1", "Acme", now, now);
  const lead = db.prepare(
    `INSERT INTO lead (id, workspace_id, source, status, telegram_user_id, whatsapp_id, whatsapp_user_id, email,
       fields, last_inbound_at, created_at, updated_at) VALUES (?, 'ws_1', ?, 'new', ?, ?, ?, ?, '{}', ?, ?, ?)`,
  );
  lead.run("lead_tg", "telegram", "111", null, null, null, now, now, now);
  lead.run("lead_wa", "whatsapp", null, "14155550100", "US.bsuid.1", null, now, now + 1, now);
  lead.run("lead_form", "form", null, null, null, "a@example.com", now, now + 2, now);
  lead.run("lead_blank", "telegram", "", null, null, null, now, now + 3, now);
}

describe("identity and routing-version migrations", () => {
  it("backfills lead_identity from the old columns, one row per address, blanks skipped", () => {
    const db = new Database(":memory:");
    migrate(db, before);
    seed(db);
    migrate(db, (tag) => !before(tag));
    const rows = db.prepare(`SELECT kind, address, lead_id FROM lead_identity ORDER BY lead_id, kind`).all();
    expect(rows).toEqual([
      { kind: "telegram", address: "111", lead_id: "lead_tg" },
      { kind: "whatsapp", address: "14155550100", lead_id: "lead_wa" },
      { kind: "whatsapp-user", address: "US.bsuid.1", lead_id: "lead_wa" },
    ]);
    db.close();
  });

  it("routing_version moves when a rep changes or a lead changes owner or status, not on a new lead", () => {
    const db = new Database(":memory:");
    migrate(db, () => true);
    seed(db);
    const version = () =>
      (
        db.prepare(`SELECT version FROM routing_version WHERE workspace_id = 'ws_1'`).get() as
          | { version: number }
          | undefined
      )?.version ?? 0;
    expect(version()).toBe(0);
    db.prepare(
      `INSERT INTO rep (id, workspace_id, name, created_at, updated_at) VALUES ('rep_1', 'ws_1', 'Ana', 1, 1)`,
    ).run();
    expect(version()).toBe(1);
    db.prepare(`UPDATE rep SET paused = 1 WHERE id = 'rep_1'`).run();
    expect(version()).toBe(2);
    db.prepare(`UPDATE lead SET owner_rep_id = 'rep_1' WHERE id = 'lead_tg'`).run();
    expect(version()).toBe(3);
    // Same owner and status: what a re-inquiry's update does to a lead that keeps its owner.
    db.prepare(`UPDATE lead SET owner_rep_id = 'rep_1', status = 'new', name = 'x' WHERE id = 'lead_tg'`).run();
    expect(version()).toBe(3);
    db.prepare(`UPDATE lead SET status = 'won' WHERE id = 'lead_tg'`).run();
    expect(version()).toBe(4);
    // Deleting a rep sets their leads' owner to NULL: the lead trigger fires inside that foreign-key action.
    db.prepare(`DELETE FROM rep WHERE id = 'rep_1'`).run();
    expect(version()).toBe(6);
    db.prepare(`DELETE FROM workspace WHERE id = 'ws_1'`).run();
    expect((db.prepare(`SELECT count(*) AS n FROM lead`).get() as { n: number }).n).toBe(0);
    db.close();
  });
});
