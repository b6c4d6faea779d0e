import Database from "libsql";
import { isBusyError, isLockError } from "./errors";
import type { StatementInfo } from "./sql";
import type { SqlValue } from "./values";

export interface ConnectionOptions {
  file: string;
  /** How long a statement keeps retrying while another connection holds the write lock. */
  busyTimeoutMs: number;
  /** Told of every statement that fails on a lock, so a client's SQLITE_BUSY can be traced to its cause. */
  log?: (line: string) => void;
}

export interface ColumnInfo {
  name: string;
  decltype: string | null;
}

export interface RawResult {
  columns: ColumnInfo[];
  rows: SqlValue[][];
  affectedRowCount: number;
  /** The row this statement inserted (the last one, for several); null when it inserted none. */
  lastInsertRowid: bigint | null;
  durationMs: number;
}

type Statement = Database.Statement;

interface KeptStatement {
  stmt: Statement;
  sql: string;
  /** Whether it returns rows: fixed by the statement's text, so asked of libsql once. */
  reader: boolean;
  /** When it last ran, in statements run on this connection (for evicting the least recently used). */
  lastUse: number;
}

let nextConnectionId = 1;

/**
 * last_insert_rowid() is per connection and survives statements that insert nothing, so a pooled
 * connection would hand one stream's rowid to the next stream's INSERT OR IGNORE. Where a statement's
 * changes() cannot tell (an upsert, DDL; see RowidRule in sql.ts) the value is first parked on this
 * sentinel (an insert into a private TEMP table, in memory) and the statement reports a rowid only when
 * it moved the value away from it.
 */
const NO_ROWID = -9223372036854775808n;
const PARK_ROWID_SQL = "REPLACE INTO temp.leadrelay_rowid_sentinel (rowid) VALUES (?)";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Prepared statements kept per connection. Preparing cost about as much as running a single-row INSERT,
 * and clients send the same few texts over and over. SQLite re-prepares a kept statement by itself when
 * the schema changes (prepare_v2), so a kept one never runs against an old schema.
 */
const STATEMENT_CACHE_LIMIT = 64;

/**
 * One libsql connection to the database file. libsql-js is synchronous, so SQLite's own busy handler
 * (busy_timeout) would freeze the whole event loop, including the request that is about to COMMIT and
 * release the lock. busy_timeout therefore stays 0 and lock waits happen here, asynchronously.
 */
export class Connection {
  readonly id = nextConnectionId++;
  private readonly db: Database.Database;
  private metaStmt: Statement | undefined;
  private parkStmt: Statement | undefined;
  private readonly prepared = new Map<string, KeptStatement>();
  private uses = 0;
  /** last_insert_rowid() is known to hold the sentinel: nothing moved it since it was parked. */
  private parked = false;
  /** What last_insert_rowid() held before the running statement, for the "compare" rule. */
  private before: bigint = NO_ROWID;
  private readonlyTx = false;
  private isClosed = false;
  /** Ran something with connection-wide effects (PRAGMA, ATTACH, TEMP objects): never hand it on. */
  private tainted = false;
  /** A statement may still be active inside SQLite (see settle()): never hand it on either. */
  private poisoned = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.db = new Database(opts.file);
    this.db.exec("PRAGMA busy_timeout = 0");
    this.db.exec("PRAGMA synchronous = NORMAL");
    // Created here, outside any client transaction, so no ROLLBACK can take it away again.
    this.db.exec("CREATE TEMP TABLE leadrelay_rowid_sentinel (x)");
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get isAutocommit(): boolean {
    return !this.db.inTransaction;
  }

  /** Safe to give to another stream: no open transaction and no connection-level leftovers. */
  get reusable(): boolean {
    return !this.isClosed && !this.tainted && !this.poisoned && !this.db.inTransaction;
  }

  /** Switches the database file to WAL so readers never wait for writers (persistent, once per file). */
  enableWal(): void {
    this.db.exec("PRAGMA journal_mode = WAL");
  }

  /**
   * Not async: a statement that meets no lock (nearly all of them) runs and answers in the same turn; only a
   * lock wait makes it a promise.
   */
  execute(sql: string, info: StatementInfo, values: SqlValue[], wantRows: boolean): RawResult | Promise<RawResult> {
    const kept = this.prepared.get(sql) ?? this.run(() => this.prepare(sql));
    if (kept instanceof Promise) return kept.then((k) => this.executeKept(k, info, values, wantRows));
    return this.executeKept(kept, info, values, wantRows);
  }

  private executeKept(
    kept: KeptStatement,
    info: StatementInfo,
    values: SqlValue[],
    wantRows: boolean,
  ): RawResult | Promise<RawResult> {
    kept.lastUse = ++this.uses;
    const stmt = kept.stmt;
    const started = performance.now();
    // A rule that compares needs the sentinel in place; the others never read the value from before.
    if (info.rowid === "compare") this.parkRowid();
    let outcome: unknown;
    try {
      // Called directly rather than through run(), which takes a closure per statement for the rare lock wait.
      outcome = kept.reader ? stmt.all(values) : stmt.run(values);
    } catch (e) {
      if (isBusyError(e) && !this.isClosed) {
        outcome = this.retry(() => (kept.reader ? stmt.all(values) : stmt.run(values)));
      } else {
        this.failed(e, kept, values, info, started);
        throw e;
      }
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (done) => this.finish(kept, info, done, wantRows, started),
        (e: unknown) => {
          this.failed(e, kept, values, info, started);
          throw e;
        },
      );
    }
    return this.finish(kept, info, outcome, wantRows, started);
  }

  private finish(kept: KeptStatement, info: StatementInfo, outcome: unknown, wantRows: boolean, started: number) {
    try {
      if (kept.reader) {
        const rows = outcome as SqlValue[][];
        // Read after running: a kept statement that SQLite re-prepared for a new schema (`SELECT *` after
        // ALTER TABLE) only reports its new columns from then on.
        const columns = kept.stmt.columns().map((c) => ({ name: c.name, decltype: c.type ?? null }));
        // Only a write (`... RETURNING`) can change anything; changes() still holds the count of an
        // earlier INSERT/UPDATE/DELETE, so a SELECT reports none and needs no second native call.
        const [changes, lastInsertRowid] = info.kind === "write" ? this.lastChange() : [0, null];
        return {
          columns,
          rows: wantRows ? rows : [],
          affectedRowCount: changes,
          lastInsertRowid: this.inserted(info, changes, lastInsertRowid),
          durationMs: performance.now() - started,
        };
      }
      const run = outcome as Database.RunResult;
      return {
        // A statement that returns no rows has no columns, whatever the schema.
        columns: [],
        rows: [],
        affectedRowCount: run.changes,
        lastInsertRowid: this.inserted(info, run.changes, this.exactRowid(run.lastInsertRowid)),
        durationMs: performance.now() - started,
      };
    } catch (e) {
      // Reading the outcome failed after the statement ran: what last_insert_rowid() holds is unknown.
      this.parked = false;
      throw e;
    } finally {
      this.afterStatement(info);
    }
  }

  private failed(e: unknown, kept: KeptStatement, values: SqlValue[], info: StatementInfo, started: number): void {
    // A failed INSERT may still have moved last_insert_rowid (to a row its rollback took away again).
    this.parked = false;
    if (isLockError(e)) {
      this.logLockFailure(e, kept.sql, started);
      this.settle(kept.stmt, values);
    }
    this.afterStatement(info);
  }

  // SQLITE_BUSY after the full wait means a lock held that long; SQLITE_BUSY_SNAPSHOT at once means a deferred
  // transaction read before writing while another connection committed (only the whole transaction can retry).
  private logLockFailure(e: unknown, sql: string, started: number): void {
    if (!this.opts.log) return;
    const code = (e as { code?: string }).code;
    const waited = (performance.now() - started).toFixed(0);
    const where = this.db.inTransaction ? "in a transaction" : "outside a transaction";
    const text = sql.replace(/\s+/g, " ").slice(0, 120);
    this.opts.log(`${code} on connection ${this.id} ${where}, after ${waited} ms: ${text}`);
  }

  /** Prepared afresh, not kept: a kept statement reports the schema of its last run. */
  async columnsOf(sql: string): Promise<ColumnInfo[]> {
    const stmt = await this.retry(() => this.db.prepare(sql));
    return stmt.columns().map((c) => ({ name: c.name, decltype: c.type ?? null }));
  }

  /** Ends whatever transaction a client left open; used before a connection changes hands or closes. */
  rollback(): void {
    if (this.isClosed || !this.db.inTransaction) return;
    try {
      this.db.exec("ROLLBACK");
    } catch {
      this.poisoned = true;
    }
    this.afterStatement(undefined);
  }

  /** Copies the WAL into the database file and empties it (best effort). */
  checkpoint(): void {
    if (this.isClosed) return;
    try {
      this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch {
      // A reader elsewhere (another process) keeps part of the WAL alive; SQLite will finish later.
    }
  }

  close(): void {
    if (this.isClosed) return;
    this.rollback();
    this.isClosed = true;
    this.prepared.clear();
    try {
      this.db.close();
    } catch {
      // Closing twice or with unfinalized statements is harmless here; the handle is dropped anyway.
    }
  }

  /** Prepares and keeps a statement; its result modes are set once, they stay with the statement. */
  private prepare(sql: string): KeptStatement {
    const stmt = this.db.prepare(sql);
    const reader = stmt.reader;
    if (reader) stmt.raw(true);
    stmt.safeIntegers(true);
    if (this.prepared.size >= STATEMENT_CACHE_LIMIT) this.evictLeastRecent();
    const kept = { stmt, sql, reader, lastUse: this.uses };
    this.prepared.set(sql, kept);
    return kept;
  }

  /**
   * A scan, but only when a new text meets a full cache; a hit then only stamps its statement (moving it to
   * the end of the Map cost two more hash lookups of the SQL text on every request).
   */
  private evictLeastRecent(): void {
    let oldest: string | undefined;
    let oldestUse = Number.POSITIVE_INFINITY;
    for (const [sql, kept] of this.prepared) {
      if (kept.lastUse < oldestUse) {
        oldest = sql;
        oldestUse = kept.lastUse;
      }
    }
    if (oldest !== undefined) this.prepared.delete(oldest);
  }

  /**
   * libsql's run() gives last_insert_rowid() as a double even with safeIntegers on, so beyond 2^53 it may be a
   * neighbour of the real one (2^53 + 1 came back as 2^53); only then is the exact value asked of SQLite.
   */
  private exactRowid(reported: number | bigint): bigint {
    if (typeof reported === "bigint") return reported;
    return Number.isSafeInteger(reported) ? BigInt(reported) : this.lastChange()[1];
  }

  /** The rowid a finished statement inserted, by its rule (see RowidRule); null when it inserted none. */
  private inserted(info: StatementInfo, changes: number, after: bigint | null): bigint | null {
    if (after === null) return null;
    const compared = this.before;
    this.parked = after === NO_ROWID;
    switch (info.rowid) {
      case "none":
        return null;
      case "changes":
        return changes > 0 ? after : null;
      case "compare":
        return after === compared ? null : after;
    }
  }

  /** Moves last_insert_rowid() to the sentinel; `before` is then the value a write must move. */
  private parkRowid(): void {
    if (!this.parked && !this.readonlyTx) {
      try {
        this.parkStmt ??= this.db.prepare(PARK_ROWID_SQL).safeIntegers(true);
        this.parkStmt.run([NO_ROWID]);
        this.parked = true;
      } catch {
        // A client's own PRAGMA query_only, say: compare against the current value instead (below),
        // which only misses an insert that happens to land on the very same rowid.
      }
    }
    this.before = this.parked ? NO_ROWID : this.lastChange()[1];
  }

  private lastChange(): [number, bigint] {
    this.metaStmt ??= this.db.prepare("SELECT changes(), last_insert_rowid()").raw(true).safeIntegers(true);
    const row = (this.metaStmt.all() as [bigint, bigint][])[0];
    return row ? [Number(row[0]), row[1]] : [0, 0n];
  }

  // Bookkeeping that must follow every statement, successful or not.
  private afterStatement(info: StatementInfo | undefined): void {
    if (this.isClosed) return;
    if (info?.changesConnectionState) this.tainted = true;
    // Only a read-only transaction needs to know (a native call per statement otherwise).
    if (!info?.beginsReadonly && !this.readonlyTx) return;
    const inTx = this.db.inTransaction;
    if (info?.beginsReadonly && inTx && !this.readonlyTx) {
      this.readonlyTx = true;
      this.setQueryOnly(true);
    } else if (this.readonlyTx && !inTx) {
      this.readonlyTx = false;
      this.setQueryOnly(false);
    }
  }

  private setQueryOnly(on: boolean): void {
    try {
      this.db.exec(`PRAGMA query_only = ${on ? 1 : 0}`);
    } catch {
      this.poisoned = true;
    }
  }

  /** Runs `op` at once; only a statement that meets another connection's lock goes on to retry(). */
  private run<T>(op: () => T): T | Promise<T> {
    try {
      return op();
    } catch (e) {
      if (!isBusyError(e) || this.isClosed) throw e;
      return this.retry(op);
    }
  }

  /**
   * Waits out SQLITE_BUSY without blocking the event loop. Re-running the same libsql Statement resets
   * it first, so a retry does not leave a half-run copy behind.
   */
  private async retry<T>(op: () => T): Promise<T> {
    const deadline = Date.now() + this.opts.busyTimeoutMs;
    let delay = 1;
    for (;;) {
      try {
        return op();
      } catch (e) {
        if (!isBusyError(e) || this.isClosed || Date.now() + delay > deadline) throw e;
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 25);
    }
  }

  /**
   * A statement that failed with SQLITE_BUSY stays "active" inside SQLite until it is reset, and libsql-js
   * only resets on the next run (or on GC). While active it makes COMMIT fail with "SQL statements in
   * progress" and keeps the connection inside a transaction. Re-running it under query_only makes it
   * fail immediately with SQLITE_READONLY, which halts it cleanly without writing anything.
   */
  private settle(stmt: Statement, values: SqlValue[]): void {
    this.setQueryOnly(true);
    try {
      stmt.run(values);
    } catch (e) {
      if (isLockError(e)) this.poisoned = true;
    }
    this.setQueryOnly(this.readonlyTx);
  }
}
