// The local server under concurrent use: each request's lastInsertRowid is its own, and a long batch
// leaves room for other streams while it runs.

import { describe, expect, it } from "vitest";
import { exec, type PipelineJson, postJson, startTestServer, testClient, text } from "../support/node/libsql-server";

describe("lastInsertRowid", () => {
  it("is the request's own insert, and undefined when it inserted nothing, across pooled connections", async () => {
    const server = await startTestServer();
    const setup = testClient(server.url);
    await setup.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, k TEXT UNIQUE)");
    await setup.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, k TEXT UNIQUE)");
    await setup.execute("INSERT INTO a (id, k) VALUES (41, 'taken')");

    // Bounded: 20 rounds, each with a fresh client whose only insert may insert nothing.
    for (let round = 0; round < 20; round++) {
      const writer = testClient(server.url);
      const inserted = await writer.execute({ sql: "INSERT INTO a (k) VALUES (?)", args: [`a${round}`] });
      expect(inserted.lastInsertRowid).toBe(BigInt(42 + round));

      const fresh = testClient(server.url);
      const ignored = await fresh.execute("INSERT OR IGNORE INTO a (k) VALUES ('taken')");
      expect(ignored.rowsAffected).toBe(0);
      expect(ignored.lastInsertRowid).toBeUndefined();
      const upsertUpdate = await fresh.execute(
        "INSERT INTO a (k) VALUES ('taken') ON CONFLICT (k) DO UPDATE SET k = k",
      );
      expect(upsertUpdate.rowsAffected).toBe(1);
      expect(upsertUpdate.lastInsertRowid).toBeUndefined();
      const read = await fresh.execute("SELECT count(*) AS n FROM a");
      expect(read.lastInsertRowid).toBeUndefined();
    }
  });

  it("reports an insert that lands on the same rowid another stream just got", async () => {
    const server = await startTestServer();
    const setup = testClient(server.url);
    await setup.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, k TEXT)");
    await setup.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, k TEXT)");
    const first = await testClient(server.url).execute("INSERT INTO a (k) VALUES ('x')");
    const second = await testClient(server.url).execute("INSERT INTO b (k) VALUES ('y')");
    expect(first.lastInsertRowid).toBe(1n);
    expect(second.lastInsertRowid).toBe(1n);
  });

  it("is never the rowid of a failed statement's rolled-back row, on the next request or in a batch", async () => {
    const server = await startTestServer();
    const setup = testClient(server.url);
    await setup.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, k TEXT UNIQUE)");
    await setup.execute("INSERT INTO a (id, k) VALUES (5, 'taken')");

    // SQLite moves last_insert_rowid to row 10 before row 11 fails, and keeps it there after the rollback.
    const failing = "INSERT INTO a (id, k) VALUES (10, 'fresh'), (11, 'taken')";
    await expect(testClient(server.url).execute(failing)).rejects.toThrow(/UNIQUE/);
    const ignored = await testClient(server.url).execute("INSERT OR IGNORE INTO a (k) VALUES ('taken')");
    expect(ignored.lastInsertRowid).toBeUndefined();
    await expect(testClient(server.url).execute(failing)).rejects.toThrow(/UNIQUE/);
    const read = await testClient(server.url).execute("SELECT count(*) AS n FROM a");
    expect(read.lastInsertRowid).toBeUndefined();
    await expect(testClient(server.url).execute(failing)).rejects.toThrow(/UNIQUE/);
    const upsert = await testClient(server.url).execute(
      "INSERT INTO a (k) VALUES ('taken') ON CONFLICT (k) DO UPDATE SET k = k",
    );
    expect(upsert.lastInsertRowid).toBeUndefined();

    const res = await postJson<PipelineJson>(`${server.url}/v2/pipeline`, {
      baton: null,
      requests: [
        {
          type: "batch",
          batch: {
            steps: [
              { stmt: exec(failing).stmt },
              { stmt: exec("INSERT OR IGNORE INTO a (k) VALUES ('taken')").stmt },
              { stmt: exec("UPDATE a SET k = k WHERE id = 5").stmt },
              { stmt: exec("INSERT INTO a (k) VALUES ('next')").stmt },
            ],
          },
        },
        { type: "close" },
      ],
    });
    const { step_results, step_errors } = res.body.results[0].response.result;
    expect(step_errors[0]!.code).toBe("SQLITE_CONSTRAINT");
    expect(step_results.slice(1).map((r) => r!.last_insert_rowid)).toEqual([null, null, "6"]);
  });

  it("is reported for REPLACE and INSERT landing on the connection's previous rowid, not for UPDATE", async () => {
    const server = await startTestServer();
    const setup = testClient(server.url);
    await setup.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, k TEXT UNIQUE)");
    const first = await testClient(server.url).execute("REPLACE INTO a (id, k) VALUES (7, 'x')");
    const again = await testClient(server.url).execute("REPLACE INTO a (id, k) VALUES (7, 'y')");
    const updated = await testClient(server.url).execute("UPDATE a SET k = 'z' WHERE id = 7");
    await testClient(server.url).execute("DELETE FROM a WHERE id = 7");
    const reinserted = await testClient(server.url).execute("INSERT INTO a (id, k) VALUES (7, 'w')");
    expect([first, again, updated, reinserted].map((r) => r.lastInsertRowid)).toEqual([7n, 7n, undefined, 7n]);
    expect(updated.rowsAffected).toBe(1);
  });

  it("is exact beyond 2^53, where a double cannot hold every rowid", async () => {
    const server = await startTestServer();
    const setup = testClient(server.url);
    await setup.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, k TEXT UNIQUE)");
    await setup.execute("INSERT INTO a (id, k) VALUES (9007199254740992, 'first')");
    // The next rowid, 2^53 + 1, is the first integer a double rounds (to 2^53).
    const next = await testClient(server.url).execute("INSERT INTO a (k) VALUES ('next')");
    expect(next.lastInsertRowid).toBe(9007199254740993n);
    const top = await testClient(server.url).execute(
      "INSERT INTO a (id, k) VALUES (9223372036854775807, 'top') ON CONFLICT (k) DO NOTHING",
    );
    expect(top.lastInsertRowid).toBe(9223372036854775807n);
    const res = await postJson<PipelineJson>(`${server.url}/v2/pipeline`, {
      baton: null,
      requests: [exec("INSERT INTO a (id, k) VALUES (-9007199254740993, 'low')"), { type: "close" }],
    });
    expect(res.body.results[0].response.result.last_insert_rowid).toBe("-9007199254740993");
  });

  it("keeps each concurrent writer's rowid apart (16 writers, 10 inserts each)", async () => {
    const server = await startTestServer();
    const setup = testClient(server.url);
    await setup.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, k TEXT UNIQUE)");
    const writers = Array.from({ length: 16 }, () => testClient(server.url));
    const seen = await Promise.all(
      writers.map(async (w, n) => {
        const mine: [string, bigint | undefined][] = [];
        for (let i = 0; i < 10; i++) {
          const k = `w${n}-${i}`;
          mine.push([k, (await w.execute({ sql: "INSERT INTO c (k) VALUES (?)", args: [k] })).lastInsertRowid]);
        }
        return mine;
      }),
    );
    const stored = await setup.execute("SELECT id, k FROM c");
    const idOf = new Map(stored.rows.map((r) => [r.k as string, BigInt(r.id as number)]));
    for (const [k, rowid] of seen.flat()) expect(rowid).toBe(idOf.get(k));
  });
});

describe("long batches", () => {
  it("let other requests through while a 20,000-statement batch runs", async () => {
    const server = await startTestServer();
    await testClient(server.url).execute("CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)");
    server.resetStats();
    const steps = Array.from({ length: 20_000 }, (_, i) => ({
      stmt: exec("INSERT INTO big (v) VALUES (?)", [text(`v${i}`)]).stmt,
    }));
    let batchDone = false;
    const batch = postJson<PipelineJson>(`${server.url}/v2/pipeline`, {
      baton: null,
      requests: [{ type: "batch", batch: { steps } }],
    }).then((res) => {
      batchDone = true;
      return res;
    });

    // Poll until the server has started on the batch (bounded by a count, not a clock). A server that
    // held the event loop for the whole batch could only answer before its first step or after its last.
    let statements = 0;
    for (let i = 0; i < 2_000 && statements === 0 && !batchDone; i++) {
      statements = ((await (await fetch(`${server.url}/_stats`)).json()) as { statements: number }).statements;
    }
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThan(20_000);
    const other = await testClient(server.url).execute("SELECT 1 AS one");
    expect(other.rows[0]!.one).toBe(1);

    const res = await batch;
    expect(res.status).toBe(200);
    expect(res.body.results[0].response.result.step_errors.every((e: unknown) => e === null)).toBe(true);
    expect((await testClient(server.url).execute("SELECT count(*) AS n FROM big")).rows[0]!.n).toBe(20_000);
  });
});
