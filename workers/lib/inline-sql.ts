import type { Client, InArgs, InStatement, TransactionMode } from "@libsql/client/web";

type BatchStatement = InStatement | [string, InArgs?];

/**
 * @libsql/client's `batch` first stores every SQL text of the batch on its stream (one `store_sql` request each in
 * the pipeline, answered and awaited each) and then refers to it by id. That pays off only for a text the batch sends
 * more than once; for the others it is a request, an answer and a promise more per statement on both sides (the
 * client's SQL cache was 3.5 % of the Worker isolate's CPU profile of the WhatsApp speed-to-lead run).
 * A text sent once is handed over as a `String` object: the client's cache stores only primitive strings, and
 * its encoder writes any other text inline (`"" + sql`), so the server gets the same SQL in the batch step
 * itself. Texts the batch repeats still go through the cache.
 */
export function inlineSingleTexts(stmts: BatchStatement[]): BatchStatement[] {
  const seen = new Map<string, number>();
  for (const s of stmts) {
    const sql = textOf(s);
    if (sql !== undefined) seen.set(sql, (seen.get(sql) ?? 0) + 1);
  }
  return stmts.map((s) => {
    const sql = textOf(s);
    if (sql === undefined || seen.get(sql) !== 1) return s;
    // Typed as the client's `string`: it only ever concatenates it (see above).
    const inline = new String(sql) as unknown as string;
    if (typeof s === "string") return { sql: inline };
    return Array.isArray(s) ? [inline, s[1]] : { ...s, sql: inline };
  });
}

function textOf(s: BatchStatement): string | undefined {
  const sql = typeof s === "string" ? s : Array.isArray(s) ? s[0] : s.sql;
  return typeof sql === "string" ? sql : undefined;
}

/** The client, its `batch` sending single texts inline (`inlineSingleTexts`); everything else as it was. */
export function withInlineSql(client: Client): Client {
  const batch = client.batch.bind(client);
  client.batch = (stmts: BatchStatement[], mode?: TransactionMode) => batch(inlineSingleTexts(stmts), mode);
  return client;
}
