import { type Client, createClient } from "@libsql/client/web";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "../db/schema";
import type { Config } from "./config";
import { DatabaseUnreachable } from "./errors";
import { withInlineSql } from "./lib/inline-sql";

export type Db = LibSQLDatabase<typeof schema>;

export interface Database {
  /** Drizzle for typed reads and simple writes. */
  db: Db;
  /** The raw client for hand-written batches (capture), where one round trip matters. */
  client: Client;
}

// One client per request: @libsql/client/web over HTTP holds no socket between calls, and Workers
// do not allow I/O objects to be shared across requests. Storage errors are mapped to 503 by `toAppError`.
export function openDatabase(config: Config): Database {
  // Batches send each SQL text inline rather than storing it on the stream first (lib/inline-sql.ts).
  const client = withInlineSql(
    createClient({
      url: config.LIBSQL_URL,
      authToken: config.LIBSQL_AUTH_TOKEN,
      intMode: "number",
      // workerd reports a refused or dropped connection as a plain Error ("Network connection lost."):
      // tag it here, where we know it came from the database, so it maps to 503 and not to a 500.
      fetch: (input: Request | string | URL, init?: RequestInit) =>
        fetch(input, init).catch((err: unknown) => {
          throw new DatabaseUnreachable(err);
        }),
    }),
  );
  // Drizzle walks the whole schema to build its relational config on every construction (a tenth of a capture's
  // Worker CPU, measured): built on first use, so a request that only sends hand-written batches skips it.
  let db: Db | undefined;
  return {
    client,
    get db() {
      db ??= drizzle(client, { schema });
      return db;
    },
  };
}
