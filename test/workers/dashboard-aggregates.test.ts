import { drizzle } from "drizzle-orm/libsql/web";
import { describe, expect, it } from "vitest";
import * as schema from "../../db/schema";
import { aggregateDashboardStats } from "../../workers/domain/reports/dashboard-aggregates";
import { buildDashboardStats, type StatLead } from "../../workers/domain/reports/dashboard-stats";
import { zoneDay, zoneMidnight } from "../../workers/lib/zone-time";
import { seedWorkspace, testDb } from "../support/workers/harness";

const DAY = 86_400_000;
const MIN = 60_000;
const ZONE = "America/New_York";
// 15:00 in New York on a day after the autumn clock change, so the range crosses it.
const NOW = Date.UTC(2026, 10, 5, 20);
const SOURCES = ["form", "whatsapp", "telegram", "api"];
const STATUSES = ["new", "contacted", "qualified", "won", "lost", "unqualified", "spam"];

/** A deterministic mix: zone midnights ± 1 ms, unassigned, negative delays, reassignments, late and open answers. */
async function seedMix(workspaceId: string, repIds: string[]) {
  const db = testDb();
  const leads: StatLead[] = [];
  const stmts = [];
  const edges = [];
  for (let d = 0; d < 12; d++) {
    const midnight = zoneMidnight(zoneDay(NOW - d * DAY, ZONE), ZONE);
    edges.push(midnight - 1, midnight, midnight + 1);
  }
  const times = [...edges, ...Array.from({ length: 80 }, (_, i) => NOW - ((i * 7919) % (11 * DAY)))];
  for (const [i, createdAt] of times.entries()) {
    const owner = i % 5 === 0 ? null : repIds[i % repIds.length]!;
    const assignedAt = owner ? createdAt + (i % 4 === 0 ? -5 : (i % 7) * 1000) : null;
    const firstResponseAt = i % 3 === 0 ? null : createdAt + (i % 6) * 9 * MIN + (i % 2);
    const l: StatLead = {
      id: `lead_agg_${workspaceId}_${i}`,
      name: `Mix ${i}`,
      source: SOURCES[i % SOURCES.length]!,
      status: STATUSES[(i * 3) % STATUSES.length]!,
      ownerRepId: owner,
      createdAt,
      assignedAt,
      firstAssignedAt: null,
      firstResponseAt,
    };
    stmts.push({
      sql: `INSERT INTO lead (id, workspace_id, source, status, name, fields, owner_rep_id, assigned_at,
        first_response_at, last_inbound_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?)`,
      args: [
        l.id,
        workspaceId,
        l.source,
        l.status,
        l.name,
        owner,
        assignedAt,
        firstResponseAt,
        ...[createdAt, createdAt, createdAt],
      ],
    });
    // Every fourth assigned lead was first given to someone earlier, then handed over: system delay ends there.
    if (owner && i % 4 === 1) {
      l.firstAssignedAt = createdAt + 300;
      stmts.push({
        sql: `INSERT INTO lead_event (id, workspace_id, lead_id, type, actor_type, data, created_at)
          VALUES (?, ?, ?, 'assigned', 'system', ?, ?), (?, ?, ?, 'reassigned', 'system', ?, ?),
          (?, ?, ?, 'assigned', 'system', '{}', ?)`,
        args: [
          `ev_a_${l.id}`,
          workspaceId,
          l.id,
          JSON.stringify({ repId: repIds[0] }),
          createdAt + 300,
          `ev_b_${l.id}`,
          workspaceId,
          l.id,
          JSON.stringify({ to: owner }),
          createdAt + 900_000,
          // An event without a rep (a failed assignment) is not an assignment.
          `ev_c_${l.id}`,
          workspaceId,
          l.id,
          createdAt + 100,
        ],
      });
    }
    leads.push(l);
  }
  await db.batch(stmts, "write");
  db.close();
  return leads;
}

describe("overview aggregates in SQL", () => {
  it("equal the direct computation over every lead of the range, zone day boundaries included", async () => {
    const ws = await seedWorkspace({ reps: ["Ana", "Ben", "Cleo"] });
    const other = await seedWorkspace();
    const leads = await seedMix(
      ws.id,
      ws.reps.map((r) => r.id),
    );
    // Another workspace's leads on the same days must not count.
    await seedMix(
      other.id,
      other.reps.map((r) => r.id),
    );
    const db = drizzle(testDb(), { schema });
    // Cleo's leads still count overall; she is left out of the per-rep table as a removed rep would be.
    const listed = ws.reps.slice(0, 2);
    for (const days of [1, 3, 7, 10]) {
      for (const slaMinutes of [15, 40]) {
        const from = zoneMidnight(zoneDay(NOW - (days - 1) * DAY, ZONE), ZONE);
        const opts = { from, now: NOW, timeZone: ZONE, slaMinutes };
        const inRange = leads.filter((l) => l.createdAt >= from).sort((a, b) => b.createdAt - a.createdAt);
        const direct = buildDashboardStats(inRange, listed, opts);
        const sqlStats = await aggregateDashboardStats(db, ws.id, listed, opts);
        // Leads created at the same instant may list in either order; the set of recent breaches is what counts.
        const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
        expect({ ...sqlStats, sla: { ...sqlStats.sla, recent: [...sqlStats.sla.recent].sort(byId) } }).toEqual({
          ...direct,
          sla: { ...direct.sla, recent: [...direct.sla.recent].sort(byId) },
        });
        expect(sqlStats.total).toBeGreaterThan(0);
        expect(sqlStats.sla.breached).toBeGreaterThan(0);
      }
    }
    // Sanity on the boundaries: a lead 1 ms before today's zone midnight is yesterday's, the one at midnight today's.
    const today = await aggregateDashboardStats(db, ws.id, ws.reps, {
      from: zoneMidnight(zoneDay(NOW, ZONE), ZONE),
      now: NOW,
      timeZone: ZONE,
      slaMinutes: 15,
    });
    expect(today.days.map((d) => d.day)).toEqual([zoneDay(NOW, ZONE)]);
    expect(today.total).toBe(leads.filter((l) => l.createdAt >= zoneMidnight(zoneDay(NOW, ZONE), ZONE)).length);
  });
});
