// One load process for the server-insert scenario: `node --import tsx bench/insert-client.ts <url> <from>
// <count> <concurrency> <label> [<warm-up>]`. It prints "ready" once its client is set up and has sent its
// uncounted warm-up INSERTs (rows after the counted ones), starts on a line from stdin
// (so every process starts together and none counts its own start-up), and prints one JSON line: the
// rowids it was given and how many requests failed.

import { createInterface } from "node:readline";
import { createClient } from "@libsql/client/web";
import { keepAliveFetch } from "./keep-alive-fetch";
import { runPool } from "./load";
import { INSERT } from "./server-insert-sql";

const [url, fromText, countText, concurrencyText, label, warmUpText] = process.argv.slice(2);
const from = Number(fromText);
const count = Number(countText);
const fetch = keepAliveFetch(Number(concurrencyText));
const client = createClient({ url: url!, intMode: "number", fetch });
await client.execute("SELECT 1");
await runPool(Number(warmUpText ?? 0), Number(concurrencyText), async (i) => {
  const n = from + count + i;
  await client.execute({ sql: INSERT, args: [`${label} warm-up ${n}`, `${label}-warm-up-${n}@bench.test`, n] });
  return true;
});
console.log("ready");
const start = createInterface({ input: process.stdin });
await new Promise<void>((go) => start.once("line", () => go()));
// Open stdin would keep this process alive after its last line.
start.close();
process.stdin.destroy();

const rowids: number[] = [];
const run = await runPool(count, Number(concurrencyText), async (i) => {
  const n = from + i;
  const rs = await client.execute({ sql: INSERT, args: [`${label} ${n}`, `${label}-${n}@bench.test`, n] });
  rowids.push(Number(rs.lastInsertRowid));
  return true;
});
console.log(JSON.stringify({ failed: run.failed, rowids, latencies: run.latencies }));
client.close();
fetch.close();
