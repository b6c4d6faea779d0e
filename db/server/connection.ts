import Database from "libsql";
import { isBusyError, isLockError } from "./errors";
import type { StatementInfo } from "./sql";
import type { SqlValue } from "./values";

export interface ConnectionOptions {
  file: string;
  /** How long a statement keeps retrying while another connection holds the write lock. */
  busyTimeoutMs: number;
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

let nextConnectionId = 1;

/**
 * last_insert_rowid() is per connection and survives statements that insert nothing, so a pooled
 * connection would hand one stream's rowid to the next stream's INSERT OR IGNORE. Before each write the
 * value is parked on this sentinel (an insert into a private TEMP table, in memory); a write reports a
 * rowid only when it moved the value away from it.
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
  private readonly prepared = new Map<string, Statement>();
  /** last_insert_rowid() as of the end of the previous statement (0 on a fresh connection). */
  private knownRowid = 0n;
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

  async execute(sql: string, info: StatementInfo, values: SqlValue[], wantRows: boolean): Promise<RawResult> {
    const stmt = await this.retry(() => this.prepare(sql));
    // Read after running: a kept statement that SQLite re-prepared for a new schema (`SELECT *` after
    // ALTER TABLE) only reports its new columns from then on.
    const columns = () => stmt.columns().map((c) => ({ name: c.name, decltype: c.type ?? null }));
    const started = performance.now();
    const before = info.kind === "write" ? this.parkRowid() : this.knownRowid;
    const own = (after: bigint): bigint | null => {
      this.knownRowid = after;
      return after === before ? null : after;
    };
    try {
      if (stmt.reader) {
        stmt.raw(true).safeIntegers(true);
        const rows = (await this.retry(() => stmt.all(values))) as SqlValue[][];
        const [changes, lastInsertRowid] = this.lastChange();
        // changes() still holds the count of the last INSERT/UPDATE/DELETE, so only trust it when this
        // statement was one (`... RETURNING`); a SELECT affects no rows.
        return {
          columns: columns(),
          rows: wantRows ? rows : [],
          affectedRowCount: info.kind === "write" ? changes : 0,
          lastInsertRowid: own(lastInsertRowid),
          durationMs: performance.now() - started,
        };
      }
      stmt.safeIntegers(true);
      const run = await this.retry(() => stmt.run(values));
      return {
        columns: columns(),
        rows: [],
        affectedRowCount: run.changes,
        lastInsertRowid: own(BigInt(run.lastInsertRowid)),
        durationMs: performance.now() - started,
      };
    } catch (e) {
      if (isLockError(e)) this.settle(stmt, values);
      throw e;
    } finally {
      this.afterStatement(info);
    }
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

  /** The kept statement for `sql`, most recently used last so the oldest goes first. */
  private prepare(sql: string): Statement {
    const kept = this.prepared.get(sql);
    if (kept !== undefined) {
      this.prepared.delete(sql);
      this.prepared.set(sql, kept);
      return kept;
    }
    const stmt = this.db.prepare(sql);
    if (this.prepared.size >= STATEMENT_CACHE_LIMIT) this.prepared.delete(this.prepared.keys().next().value as string);
    this.prepared.set(sql, stmt);
    return stmt;
  }

  /** Moves last_insert_rowid() to the sentinel; returns the value a write must move to count as an insert. */
  private parkRowid(): bigint {
    if (this.knownRowid === NO_ROWID || this.readonlyTx) return this.knownRowid;
    try {
      this.parkStmt ??= this.db.prepare(PARK_ROWID_SQL).safeIntegers(true);
      this.parkStmt.run([NO_ROWID]);
      this.knownRowid = NO_ROWID;
    } catch {
      // A client's own PRAGMA query_only, say: compare against the current value instead, which only
      // misses an insert that happens to land on the very same rowid.
      this.knownRowid = this.lastChange()[1];
    }
    return this.knownRowid;
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
