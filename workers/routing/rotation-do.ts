import { DurableObject } from "cloudflare:workers";
import type { PoolStrategy } from "../../db/schema";
import { type Candidate, leastLoaded, pickNext, type RepRotationState } from "./smooth-wrr";

export interface PickRequest {
  /** Idempotency key: the lead id, or lead id + reassignment number. A retry returns the same rep. */
  assignmentKey: string;
  /** Reps eligible now (the Worker checked activity, pause, vacation, hours, caps). */
  candidates: Candidate[];
  /** weighted (default): smooth weighted round robin · least-loaded: fewest open leads, ties by rotation */
  strategy?: PoolStrategy;
}

export interface PickResult {
  repId: string | null;
  /** true when this key had been assigned before: nothing advanced. */
  replay: boolean;
}

/** The rep states a pick found and left, so `release` can take the pick back. */
interface PickUndo {
  seq: number;
  repId: string;
  before: RepRotationState[];
  after: RepRotationState[];
}

interface RotationMemory {
  states: Map<string, RepRotationState>;
  /** The highest assignment seq stored; 0 before the first. */
  seq: number;
}

// Four values per rep state.
const STATES_PER_STATEMENT = 25;

// Assignment keys are kept this long for idempotency; webhook platforms retry for at most 36 h.
const KEEP_ASSIGNMENTS_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * One rotation per workspace + pool. A Durable Object runs one call at a time and `pick` does no I/O
 * but synchronous SQLite, so two leads arriving together can never get the same turn or skip a rep.
 */
export class Rotation extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /**
   * `rep_state` and the last assignment's seq as stored. This object is their only writer, so after one read
   * they are kept here: `pick` updates them once its writes went through, and anything else that writes them
   * (`release`) or a write that failed drops them, to be read again. Weights, caps and who is eligible are not
   * part of it: they come with every request as its candidates, so a change there needs no reload.
   */
  private memory: RotationMemory | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS rep_state (rep_id TEXT PRIMARY KEY, current REAL NOT NULL, last_seq INTEGER NOT NULL,
        assigned INTEGER NOT NULL DEFAULT 0)`,
    );
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS assignment (key TEXT PRIMARY KEY, rep_id TEXT NOT NULL, seq INTEGER NOT NULL,
        at INTEGER NOT NULL)`,
    );
    this.sql.exec(`CREATE INDEX IF NOT EXISTS assignment_at_idx ON assignment (at)`);
    // Every pick and release reads max(seq): without it that is a scan of a week of assignments per lead.
    this.sql.exec(`CREATE INDEX IF NOT EXISTS assignment_seq_idx ON assignment (seq)`);
    // What a pick changed, kept until the pick is used or handed back (`release`); pruned with assignments.
    this.sql.exec(`CREATE TABLE IF NOT EXISTS assignment_undo (key TEXT PRIMARY KEY, data TEXT NOT NULL)`);
  }

  pick(request: PickRequest): PickResult {
    const prior = this.sql
      .exec<{ rep_id: string }>(`SELECT rep_id FROM assignment WHERE key = ?`, request.assignmentKey)
      .toArray()[0];
    if (prior) return { repId: prior.rep_id, replay: true };

    const { picked, seq, states } = this.next(request);
    if (!picked) return { repId: null, replay: false };

    const now = Date.now();
    const undo: PickUndo = {
      seq,
      repId: picked.repId,
      before: picked.updated.map((s) => states.get(s.repId) ?? { repId: s.repId, current: 0, lastSeq: -1 }),
      after: picked.updated,
    };
    try {
      this.sql.exec(
        `INSERT INTO assignment_undo (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data`,
        request.assignmentKey,
        JSON.stringify(undo),
      );
      // The candidates' states, several per statement (bound values: a JSON round trip could move a REAL), within
      // the 100 bound parameters a Durable Object's statement may have.
      for (let i = 0; i < picked.updated.length; i += STATES_PER_STATEMENT) {
        const part = picked.updated.slice(i, i + STATES_PER_STATEMENT);
        this.sql.exec(
          `INSERT INTO rep_state (rep_id, current, last_seq, assigned)
           VALUES ${part.map(() => "(?, ?, ?, ?)").join(", ")}
           ON CONFLICT (rep_id) DO UPDATE SET current = excluded.current, last_seq = excluded.last_seq,
             assigned = rep_state.assigned + excluded.assigned`,
          ...part.flatMap((s) => [s.repId, s.current, s.lastSeq, s.repId === picked.repId ? 1 : 0]),
        );
      }
      this.sql.exec(
        `INSERT INTO assignment (key, rep_id, seq, at) VALUES (?, ?, ?, ?)`,
        request.assignmentKey,
        picked.repId,
        seq,
        now,
      );
    } catch (err) {
      // What was written is unknown: the next pick reads the tables again.
      this.memory = undefined;
      throw err;
    }
    for (const s of picked.updated) states.set(s.repId, s);
    this.memory!.seq = seq;
    if (seq % 500 === 0) {
      this.sql.exec(`DELETE FROM assignment WHERE at < ? AND seq < ?`, now - KEEP_ASSIGNMENTS_MS, seq);
      this.sql.exec(`DELETE FROM assignment_undo WHERE key NOT IN (SELECT key FROM assignment)`);
    }
    return { repId: picked.repId, replay: false };
  }

  /**
   * Hands back the turn `pick` gave under this key, when the caller did not use it (the lead turned out to be
   * a known one that keeps its owner, or its write was refused). The rotation ends as if the pick had not been
   * made: exactly when no pick came after it; otherwise the pick's own changes are taken back from the states
   * as they are now, so the turns that followed keep their effect. The key can then be picked again.
   * Returns false when nothing was picked under this key (or it was handed back already).
   */
  release(assignmentKey: string): boolean {
    // It rewrites states and may remove the last seq: the next pick reads them again.
    this.memory = undefined;
    const row = this.sql
      .exec<{ data: string }>(`SELECT data FROM assignment_undo WHERE key = ?`, assignmentKey)
      .toArray()[0];
    if (!row) return false;
    const undo = JSON.parse(row.data) as PickUndo;
    const last = this.sql.exec<{ seq: number | null }>(`SELECT max(seq) AS seq FROM assignment`).one().seq;
    const latest = last === undo.seq;
    for (let i = 0; i < undo.after.length; i++) {
      const before = undo.before[i]!;
      const after = undo.after[i]!;
      const now = this.sql
        .exec<{ current: number; last_seq: number }>(
          `SELECT current, last_seq FROM rep_state WHERE rep_id = ?`,
          after.repId,
        )
        .toArray()[0];
      const current = latest || !now ? before.current : now.current - (after.current - before.current);
      const lastSeq = now && now.last_seq !== after.lastSeq ? now.last_seq : before.lastSeq;
      this.sql.exec(
        `UPDATE rep_state SET current = ?, last_seq = ?, assigned = assigned - ? WHERE rep_id = ?`,
        current,
        lastSeq,
        after.repId === undo.repId ? 1 : 0,
        after.repId,
      );
    }
    this.sql.exec(`DELETE FROM assignment WHERE key = ?`, assignmentKey);
    this.sql.exec(`DELETE FROM assignment_undo WHERE key = ?`, assignmentKey);
    return true;
  }

  /** Who `pick` would choose now, without advancing anything (the routing preview). */
  peek(request: Omit<PickRequest, "assignmentKey">): string | null {
    return this.next(request).picked?.repId ?? null;
  }

  private next(request: Omit<PickRequest, "assignmentKey">) {
    const { states, seq: last } = this.loaded();
    const seq = last + 1;
    const candidates =
      request.strategy === "least-loaded" ? leastLoaded(states, request.candidates) : request.candidates;
    return { picked: pickNext(states, candidates, seq), seq, states };
  }

  /** The rotation's state, read from storage once per instance and kept in step by `pick` (see `memory`). */
  private loaded(): RotationMemory {
    if (this.memory) return this.memory;
    const states = new Map<string, RepRotationState>();
    for (const row of this.sql.exec<{ rep_id: string; current: number; last_seq: number }>(
      `SELECT rep_id, current, last_seq FROM rep_state`,
    )) {
      states.set(row.rep_id, { repId: row.rep_id, current: row.current, lastSeq: row.last_seq });
    }
    const seq = this.sql.exec<{ seq: number | null }>(`SELECT max(seq) AS seq FROM assignment`).one().seq ?? 0;
    this.memory = { states, seq };
    return this.memory;
  }

  /** Assignments per rep made by this rotation (dashboard, benchmark, tests). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.sql.exec<{ rep_id: string; assigned: number }>(`SELECT rep_id, assigned FROM rep_state`)) {
      out[row.rep_id] = row.assigned;
    }
    return out;
  }
}
