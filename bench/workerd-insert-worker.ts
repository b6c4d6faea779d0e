// The bench Worker of the server-insert scenario's workerd row: @libsql/client/web with workerd's own fetch,
// as the product's Worker reaches libSQL. POST /?db=<url>&from=<n>&count=<n>&concurrency=<n> runs that many
// single-row INSERTs with that many in flight and answers with what it saw. Bundled by workerd-insert.ts.

import { createClient } from "@libsql/client/web";
import { runPool } from "./load";
import { INSERT } from "./server-insert-sql";

export interface WorkerdRun {
  failed: number;
  /** lastInsertRowid of each successful INSERT, for the caller to check. */
  rowids: number[];
  latencies: number[];
}

type Client = ReturnType<typeof createClient>;
// One client per isolate, as the product keeps one per database URL.
const clients = new Map<string, Client>();

export default {
  async fetch(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    const db = params.get("db") ?? "";
    const from = Number(params.get("from"));
    let client = clients.get(db);
    if (client === undefined) {
      client = createClient({ url: db, intMode: "number" });
      clients.set(db, client);
    }
    const insert = client;
    const rowids: number[] = [];
    const run = await runPool(Number(params.get("count")), Number(params.get("concurrency")), async (i) => {
      const n = from + i;
      const rs = await insert.execute({ sql: INSERT, args: [`workerd ${n}`, `workerd-${n}@bench.test`, n] });
      rowids.push(Number(rs.lastInsertRowid));
      return true;
    });
    const answer: WorkerdRun = { failed: run.failed, rowids, latencies: run.latencies };
    return Response.json(answer);
  },
};
