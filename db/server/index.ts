// A local libSQL server speaking Hrana over HTTP (v2 and v3, JSON), for development and tests: the
// Worker talks to it exactly as it talks to Turso/sqld in production.

import type { AddressInfo } from "node:net";
import { createRequestHandler } from "./http";
import { createHttp1Server } from "./http1";
import { ConnectionPool } from "./pool";
import { Stats, type StatsSnapshot } from "./stats";
import { StreamRegistry } from "./stream";

export interface LibsqlServerOptions {
  file: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks an ephemeral port. */
  port?: number;
  /** When set, every pipeline/cursor request must carry `Authorization: Bearer <token>`. */
  authToken?: string;
  /** Streams (and their transactions) left idle this long are rolled back and closed. Default 10 s. */
  streamIdleTimeoutMs?: number;
  /** How long a statement waits for another stream's write lock before SQLITE_BUSY. Default 5 s. */
  busyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface LibsqlServer {
  /** http://HOST:PORT */
  url: string;
  port: number;
  stats(): StatsSnapshot;
  resetStats(): void;
  close(): Promise<void>;
}

export type { StatsSnapshot };

/** The server's log on stderr, each line marked as its own: for the CLI, `npm start` and the test lanes. */
export const logToStderr = (line: string): void => console.error(`[libsql] ${line}`);

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function startLibsqlServer(opts: LibsqlServerOptions): Promise<LibsqlServer> {
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? (() => {});
  const stats = new Stats();
  const pool = new ConnectionPool({ file: opts.file, busyTimeoutMs: opts.busyTimeoutMs ?? 5_000, log: opts.log });

  // Opening the first connection up front surfaces a bad path now rather than on the first request.
  const first = pool.acquire();
  try {
    first.enableWal();
  } catch (e) {
    log(`could not switch ${opts.file} to WAL (${e instanceof Error ? e.message : String(e)}); continuing`);
  }
  pool.release(first);

  const registry = new StreamRegistry(pool, stats, opts.streamIdleTimeoutMs ?? 10_000, log);
  // Connections stay open between requests (a new TCP connection per query cost a third of the request
  // rate here). Node's HTTP server closed idle ones after 5 s, and a client (workerd) that sends on one just
  // as it closes sees "Network connection lost" (a burst of captures turned that race into 503s); idle
  // connections are therefore kept far longer than any client pool keeps them, so the client closes first.
  const { server, closeAllConnections } = createHttp1Server(
    createRequestHandler({ registry, stats, authToken: opts.authToken, log, maxBodyBytes: MAX_BODY_BYTES }),
    { maxBodyBytes: MAX_BODY_BYTES, idleTimeoutMs: 10 * 60_000 },
  );

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      // A burst of concurrent captures opens hundreds of connections at once: a deep accept queue.
      server.listen({ port: opts.port ?? 0, host, backlog: 4096 }, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (e) {
    pool.closeAll();
    throw e;
  }

  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets (fetch keeps them) would otherwise hold close() open for seconds.
        closeAllConnections();
        // Rolls back open transactions before the connections go away.
        registry.closeAll();
        pool.closeAll();
      });
      return closing;
    },
  };
}
