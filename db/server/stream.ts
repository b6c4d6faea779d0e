import { randomBytes } from "node:crypto";
import type { BatchEnv } from "./batch";
import type { Connection } from "./connection";
import { HttpError } from "./errors";
import type { ConnectionPool } from "./pool";
import type { Stats } from "./stats";

let nextStreamId = 1;

/**
 * A Hrana stream: one connection (taken lazily from the pool, so a stream that only stores SQL or
 * closes costs nothing), the SQL texts stored on it, and a queue that runs its work one piece at a time.
 */
export class Stream implements BatchEnv {
  readonly id = nextStreamId++;
  // Made when first asked for, like `tail`: nearly every stream runs one statement and closes in the same turn.
  private storedSqls: Map<number, string> | undefined;
  private connection: Connection | undefined;
  private isClosed = false;
  /** The last piece of queued work; unset until some work had to wait. */
  private tail: Promise<unknown> | undefined;
  private pending = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private onIdle: (() => void) | undefined;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly stats: Stats,
    private readonly idleTimeoutMs: number,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** SQL texts stored on the stream by id (store_sql). */
  get sqls(): Map<number, string> {
    this.storedSqls ??= new Map();
    return this.storedSqls;
  }

  conn(): Connection {
    if (this.isClosed) throw new Error("Stream is closed");
    this.connection ??= this.pool.acquire();
    return this.connection;
  }

  isAutocommit(): boolean {
    return this.connection?.isAutocommit ?? true;
  }

  countStatement(): void {
    this.stats.statements++;
  }

  /**
   * Runs `fn` after everything queued before it. The baton already keeps a well-behaved client to one
   * request at a time, but a cursor hands out its next baton before it has finished, and the idle timer
   * must never fire while work is in flight. With nothing queued (a new stream, as for nearly every
   * request) `fn` runs now, and an `fn` that finishes in this turn gives its result back without a promise.
   */
  exclusive<T>(fn: () => T | Promise<T>): T | Promise<T> {
    this.pending++;
    this.disarm();
    if (this.pending > 1) return this.queued((this.tail ?? Promise.resolve()).then(fn));
    let result: T | Promise<T>;
    try {
      result = fn();
    } catch (e) {
      this.settled();
      throw e;
    }
    if (result instanceof Promise) return this.queued(result);
    this.settled();
    return result;
  }

  /** Work still running: the next piece waits for it, and it counts as pending until it settles. */
  private queued<T>(run: Promise<T>): Promise<T> {
    // Inline callbacks: tsx (which runs this server) wraps every named closure in a __name() call.
    this.tail = run.then(
      () => this.settled(),
      () => this.settled(),
    );
    return run;
  }

  private settled(): void {
    this.pending--;
    this.arm();
  }

  /** Waits for the client's next request; `onIdle` runs if none comes within the idle timeout. */
  park(onIdle: () => void): void {
    this.onIdle = onIdle;
    this.arm();
  }

  unpark(): void {
    this.onIdle = undefined;
    this.disarm();
  }

  /** Closing returns the connection to the pool, which rolls back any transaction left open. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.unpark();
    this.storedSqls?.clear();
    const conn = this.connection;
    this.connection = undefined;
    if (conn) this.pool.release(conn);
  }

  private arm(): void {
    if (this.pending > 0 || this.onIdle === undefined || this.idleTimer !== undefined || this.isClosed) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const onIdle = this.onIdle;
      this.onIdle = undefined;
      onIdle?.();
    }, this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private disarm(): void {
    if (this.idleTimer === undefined) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

const EXPIRED_MEMORY = 1024;

/**
 * Batons are random, single-use handles for parked streams. Nothing about a stream can be derived from
 * its baton, so they cannot be forged, and each one is deleted the moment a request presents it: a
 * second request with the same baton gets HTTP 400, which also serializes requests on a stream.
 */
export class StreamRegistry {
  private readonly byBaton = new Map<string, Stream>();
  private readonly streams = new Set<Stream>();
  // Remembered only to tell "expired" apart from "never existed / already used" in the error.
  private readonly expired = new Set<string>();

  constructor(
    private readonly pool: ConnectionPool,
    private readonly stats: Stats,
    private readonly idleTimeoutMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * The stream a request is for: a new one for a null baton, or the parked one the baton names. A new stream is
   * listed (for closeAll) only once it outlives the turn it was made in, when parked or by track(): nearly every
   * one closes within it, and adding each to the set and taking it out again cost a shrink of the set per request.
   */
  checkout(baton: string | null): Stream {
    if (baton === null) return new Stream(this.pool, this.stats, this.idleTimeoutMs);
    const stream = this.byBaton.get(baton);
    if (stream === undefined || stream.closed) {
      this.byBaton.delete(baton);
      if (this.expired.has(baton)) {
        this.expired.delete(baton);
        throw new HttpError(
          400,
          "STREAM_EXPIRED",
          "The stream has expired due to inactivity; its transaction was rolled back",
        );
      }
      throw new HttpError(400, "BATON_INVALID", "Unknown or already used baton");
    }
    this.byBaton.delete(baton);
    stream.unpark();
    return stream;
  }

  /** Parks an open stream under a fresh baton; a closed stream is forgotten and gets none. */
  checkin(stream: Stream): string | null {
    if (stream.closed) {
      this.streams.delete(stream);
      return null;
    }
    const baton = randomBytes(24).toString("base64url");
    this.streams.add(stream);
    this.byBaton.set(baton, stream);
    stream.park(() => this.expire(baton, stream));
    return baton;
  }

  /** Lists a stream whose work goes on after this turn (it waits for a lock, or streams a cursor). */
  track(stream: Stream): void {
    if (!stream.closed) this.streams.add(stream);
  }

  /** Ends a stream that failed at the HTTP level; the client must consider it gone. */
  discard(stream: Stream): void {
    stream.close();
    this.streams.delete(stream);
  }

  /** Open streams, parked or busy past the turn they were made in. */
  get size(): number {
    return this.streams.size;
  }

  closeAll(): void {
    for (const stream of this.streams) stream.close();
    this.streams.clear();
    this.byBaton.clear();
  }

  private expire(baton: string, stream: Stream): void {
    if (this.byBaton.get(baton) !== stream) return;
    this.byBaton.delete(baton);
    this.expired.add(baton);
    if (this.expired.size > EXPIRED_MEMORY) this.expired.delete(this.expired.values().next().value as string);
    const hadTransaction = !stream.isAutocommit();
    this.discard(stream);
    const rolledBack = hadTransaction ? " (open transaction rolled back)" : "";
    this.log(`stream ${stream.id} expired after ${this.idleTimeoutMs} ms idle${rolledBack}`);
  }
}
