// The server keeps prepared statements per pooled connection: a kept statement must follow schema
// changes made since it was prepared, by the same connection or by another one.

import { describe, expect, it } from "vitest";
import { startTestServer, testClient } from "../support/node/libsql-server";

describe("kept prepared statements", () => {
  it("report the columns of the current schema after ALTER TABLE and after a table is recreated", async () => {
    const server = await startTestServer();
    const db = testClient(server.url);
    await db.execute("CREATE TABLE t (a INTEGER)");
    await db.execute("INSERT INTO t VALUES (1)");
    // Run twice so the text is kept on the pooled connection before the schema moves under it.
    for (let i = 0; i < 2; i++) expect((await db.execute("SELECT * FROM t")).columns).toEqual(["a"]);

    await db.execute("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'");
    const widened = await db.execute("SELECT * FROM t");
    expect(widened.columns).toEqual(["a", "b"]);
    expect(widened.rows.map((r) => [r.a, r.b])).toEqual([[1, "x"]]);

    await db.execute("DROP TABLE t");
    await db.execute("CREATE TABLE t (c TEXT, d INTEGER, e REAL)");
    await db.execute("INSERT INTO t VALUES ('z', 2, 0.5)");
    const recreated = await db.execute("SELECT * FROM t");
    expect(recreated.columns).toEqual(["c", "d", "e"]);
    expect(recreated.columnTypes).toEqual(["TEXT", "INTEGER", "REAL"]);
    expect(recreated.rows.map((r) => [r.c, r.d, r.e])).toEqual([["z", 2, 0.5]]);
  });

  it("re-run with new arguments each time, in a batch and across streams, without mixing results", async () => {
    const server = await startTestServer();
    const db = testClient(server.url);
    await db.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)");
    const insert = "INSERT INTO kv (k, v) VALUES (?, ?) RETURNING k, v";
    const batch = await db.batch(
      Array.from({ length: 5 }, (_, i) => ({ sql: insert, args: [`b${i}`, i] })),
      "write",
    );
    expect(batch.map((rs) => [rs.rows[0]!.k, rs.rows[0]!.v])).toEqual(
      Array.from({ length: 5 }, (_, i) => [`b${i}`, i]),
    );
    // Bounded: 20 one-shot streams in flight, all with the same text.
    const single = await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.execute({ sql: insert, args: [`s${i}`, 100 + i] })),
    );
    expect(single.map((rs) => rs.rows[0]!.v)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    const failed = await db.execute({ sql: insert, args: ["s0", 1] }).catch((e: Error) => e);
    expect(String(failed)).toMatch(/UNIQUE constraint failed/);
    const after = await db.execute({ sql: insert, args: ["after", 7] });
    expect(after.rows[0]!.k).toBe("after");
    expect((await db.execute("SELECT count(*) AS n FROM kv")).rows[0]!.n).toBe(26);
  });
});
