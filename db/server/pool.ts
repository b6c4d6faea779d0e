import { Connection, type ConnectionOptions } from "./connection";

/**
 * Connections for streams. @libsql/client opens a fresh stream for nearly every call (one pipeline:
 * requests + close), so opening a Database per stream would dominate the cost of a query; instead a
 * closed stream's connection comes back here, provided it carries nothing over (see Connection.reusable).
 */
export class ConnectionPool {
  private readonly idle: Connection[] = [];
  private readonly live = new Set<Connection>();
  private isClosed = false;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly maxIdle = 8,
  ) {}

  acquire(): Connection {
    if (this.isClosed) throw new Error("The server is shutting down");
    const conn = this.idle.pop() ?? new Connection(this.opts);
    this.live.add(conn);
    return conn;
  }

  release(conn: Connection): void {
    conn.rollback();
    if (!this.isClosed && conn.reusable && this.idle.length < this.maxIdle) {
      this.idle.push(conn);
      return;
    }
    this.live.delete(conn);
    conn.close();
  }

  /** Number of open connections, idle or in use. */
  get size(): number {
    return this.live.size;
  }

  closeAll(): void {
    this.isClosed = true;
    for (const conn of this.live) conn.rollback();
    // libsql-js only really closes a connection once GC has collected its statements, which may be never
    // if the process exits; checkpointing now leaves the database file complete on its own.
    const [any] = this.live;
    any?.checkpoint();
    for (const conn of this.live) conn.close();
    this.live.clear();
    this.idle.length = 0;
  }
}
