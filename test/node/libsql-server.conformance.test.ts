// Conformance of the local libSQL server (db/server) with what @libsql/client 0.18 and the Hrana
// specs (HTTP_V2_SPEC.md, HRANA_3_SPEC.md) expect. The client half drives every public API the Worker
// may use; the raw half covers protocol features the client never sends (it speaks /v2/pipeline only).

import { readdirSync, readlinkSync } from "node:fs";
import { type Client, type Config, createClient, LibsqlBatchError, LibsqlError } from "@libsql/client";
import { createClient as createWebClient } from "@libsql/client/web";
import * as hrana from "@libsql/hrana-client";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  close,
  exec,
  float,
  int,
  type PipelineJson,
  postJson,
  startTestServer,
  type TestServer,
  text,
} from "../support/node/libsql-server";

function client(server: TestServer, config: Partial<Config> = {}): Client {
  const c = createClient({ url: server.url, ...config });
  onTestFinished(() => c.close());
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<LibsqlError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(LibsqlError);
    return e as LibsqlError;
  }
  throw new Error("expected the promise to reject");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const LEADS = "CREATE TABLE leads (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, score REAL, payload BLOB, note)";

describe("@libsql/client over HTTP", () => {
  it("positional args: columns, column types, rows, rowsAffected and lastInsertRowid come back", async () => {
    const server = await startTestServer();
    const db = client(server);
    await db.execute(LEADS);

    const insert = await db.execute({
      sql: "INSERT INTO leads (email, score) VALUES (?, ?), (?, ?)",
      args: ["a@x.io", 1.5, "b@x.io", 2],
    });
    expect(insert.rowsAffected).toBe(2);
    expect(insert.lastInsertRowid).toBe(2n);
    expect(insert.columns).toEqual([]);
    expect(insert.rows).toEqual([]);

    const rs = await db.execute({
      sql: "SELECT id, email, score, score * 2 AS doubled FROM leads WHERE id >= ? ORDER BY id",
      args: [1],
    });
    expect(rs.columns).toEqual(["id", "email", "score", "doubled"]);
    expect(rs.columnTypes).toEqual(["INTEGER", "TEXT", "REAL", ""]);
    expect(rs.rows).toHaveLength(2);
    const [first] = rs.rows;
    expect(first!.email).toBe("a@x.io");
    expect(first![1]).toBe("a@x.io");
    expect(first!.doubled).toBe(3);
    expect(rs.rowsAffected).toBe(0);

    const update = await db.execute({ sql: "UPDATE leads SET note = ? WHERE score > ?", args: ["hot", 1] });
    expect(update.rowsAffected).toBe(2);
    const del = await db.execute("DELETE FROM leads WHERE email = 'b@x.io'");
    expect(del.rowsAffected).toBe(1);
    const none = await db.execute("DELETE FROM leads WHERE 0");
    expect(none.rowsAffected).toBe(0);

    // RETURNING both returns rows and counts them as affected (sqld does; the local file client says 0).
    const returning = await db.execute({
      sql: "INSERT INTO leads (email) VALUES (?) RETURNING id, email",
      args: ["c@x.io"],
    });
    expect(returning.rows.map((r) => r.email)).toEqual(["c@x.io"]);
    expect(returning.rowsAffected).toBe(1);
    expect(returning.lastInsertRowid).toBe(BigInt(returning.rows[0]!.id as number));

    // DDL after DML must not report the previous statement's count.
    expect((await db.execute("CREATE TABLE other (x)")).rowsAffected).toBe(0);
  });

  it("binds named args with :name, @name and $name, with or without the prefix in the key", async () => {
    const server = await startTestServer();
    const db = client(server);

    const rs = await db.execute({
      sql: "SELECT :a AS a, @b AS b, $c AS c, :a || '!' AS again",
      args: { a: "x", b: "y", c: "z" },
    });
    expect(rs.rows[0]).toMatchObject({ a: "x", b: "y", c: "z", again: "x!" });

    const prefixed = await db.execute({
      sql: "SELECT :a AS a, @b AS b, $c AS c",
      args: { ":a": 1n, "@b": 2n, $c: 3n },
    });
    expect(prefixed.rows[0]).toMatchObject({ a: 1, b: 2, c: 3 });

    // A bare key fills every prefix of that name; each distinct name is its own parameter.
    const shared = await db.execute({ sql: "SELECT :v AS a, @v AS b", args: { ":v": "colon", v: "bare" } });
    expect(shared.rows[0]).toMatchObject({ a: "colon", b: "bare" });

    // ?NNN parameters can be addressed by number.
    const numbered = await db.execute({ sql: "SELECT ?2 AS two, ?1 AS one", args: ["first", "second"] });
    expect(numbered.rows[0]).toMatchObject({ one: "first", two: "second" });

    const missing = await rejection(db.execute({ sql: "SELECT :a, :b", args: { a: 1 } }));
    expect(missing.code).toBe("ARGS_INVALID");
    expect(missing.message).toContain(":b");
    const tooMany = await rejection(db.execute({ sql: "SELECT ?", args: [1, 2] }));
    expect(tooMany.code).toBe("ARGS_INVALID");
    // Fewer positional args than parameters leaves the rest NULL, as SQLite (and sqld) do.
    expect((await db.execute({ sql: "SELECT ? AS a, ? AS b", args: [1] })).rows[0]).toMatchObject({ a: 1, b: null });
  });

  it("round-trips every value type, with integers at full 64-bit precision in bigint mode", async () => {
    const server = await startTestServer();
    const db = client(server, { intMode: "bigint" });
    await db.execute("CREATE TABLE v (i INTEGER, f REAL, t TEXT, b BLOB, n)");

    const ints = [0n, -1n, 2n ** 53n + 1n, 9223372036854775807n, -9223372036854775808n];
    for (const i of ints) await db.execute({ sql: "INSERT INTO v (i) VALUES (?)", args: [i] });
    const intRows = await db.execute("SELECT i, typeof(i) AS ty FROM v WHERE i IS NOT NULL ORDER BY rowid");
    expect(intRows.rows.map((r) => r.i)).toEqual(ints);
    expect(intRows.rows.every((r) => r.ty === "integer")).toBe(true);

    const unicode = ["héllo wörld", "日本語テキスト", "emoji 🧪🚀 and e\u0301"];
    const texts = ["", "plain", ...unicode, "quote ' and \" and \\"];
    const floats = [1.5, -0.25, 1e300, 5e-324, 0.1 + 0.2];
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    await db.execute({ sql: "DELETE FROM v" });
    for (const [k, t] of texts.entries()) {
      await db.execute({
        sql: "INSERT INTO v (i, f, t, b, n) VALUES (?, ?, ?, ?, ?)",
        args: [BigInt(k), floats[k % floats.length]!, t, k % 2 ? bytes : bytes.buffer.slice(0), null],
      });
    }
    const rs = await db.execute(
      "SELECT i, f, t, b, n, typeof(f) AS tf, typeof(b) AS tb, typeof(n) AS tn FROM v ORDER BY i",
    );
    expect(rs.rows.map((r) => r.t)).toEqual(texts);
    expect(rs.rows.map((r) => r.f)).toEqual(texts.map((_, k) => floats[k % floats.length]));
    for (const row of rs.rows) {
      expect(row.b).toBeInstanceOf(ArrayBuffer);
      expect(new Uint8Array(row.b as ArrayBuffer)).toEqual(bytes);
      expect(row.n).toBeNull();
      expect([row.tf, row.tb, row.tn]).toEqual(["real", "blob", "null"]);
    }

    // The client sends JS numbers as floats and booleans as integers; SQLite sees exactly that.
    const types = await db.execute({
      sql: "SELECT typeof(?) AS a, typeof(?) AS b, typeof(?) AS c, ? AS d",
      args: [3, 3n, true, false],
    });
    expect(types.rows[0]).toMatchObject({ a: "real", b: "integer", c: "integer", d: 0n });

    // Empty blob and a large one survive base64.
    const big = new Uint8Array(256 * 1024).map((_, i) => (i * 7) % 256);
    const blobs = await db.execute({
      sql: "SELECT ? AS empty, ? AS big, length(?) AS len",
      args: [new Uint8Array(0), big, big],
    });
    expect(new Uint8Array(blobs.rows[0]!.empty as ArrayBuffer)).toEqual(new Uint8Array(0));
    // (Buffer.equals: a deep toEqual over 256 KiB takes vitest a second.)
    expect(Buffer.from(blobs.rows[0]!.big as ArrayBuffer).equals(big)).toBe(true);
    expect(blobs.rows[0]!.len).toBe(BigInt(big.length));
  });

  it("honours intMode number and string", async () => {
    const server = await startTestServer();
    const asNumber = client(server, { intMode: "number" });
    expect((await asNumber.execute("SELECT 42 AS n")).rows[0]!.n).toBe(42);
    await expect(asNumber.execute("SELECT 9007199254740993 AS n")).rejects.toThrow(RangeError);
    const asString = client(server, { intMode: "string" });
    expect((await asString.execute("SELECT 9007199254740993 AS n")).rows[0]!.n).toBe("9007199254740993");
  });

  it("runs batches in write, read and deferred mode, atomically", async () => {
    const server = await startTestServer();
    const db = client(server);
    await db.execute(LEADS);

    const results = await db.batch(
      [
        { sql: "INSERT INTO leads (email) VALUES (?)", args: ["a@x.io"] },
        { sql: "INSERT INTO leads (email) VALUES (?)", args: ["b@x.io"] },
        "SELECT count(*) AS n FROM leads",
      ],
      "write",
    );
    expect(results).toHaveLength(3);
    expect(results[0]!.rowsAffected).toBe(1);
    expect(results[1]!.lastInsertRowid).toBe(2n);
    expect(results[2]!.rows[0]!.n).toBe(2);

    // A failing statement rolls back the whole batch, including the statements before it.
    const failure = await rejection(
      db.batch(
        [
          { sql: "INSERT INTO leads (email) VALUES (?)", args: ["c@x.io"] },
          { sql: "INSERT INTO leads (email) VALUES (?)", args: ["a@x.io"] },
          { sql: "INSERT INTO leads (email) VALUES (?)", args: ["d@x.io"] },
        ],
        "write",
      ),
    );
    expect(failure).toBeInstanceOf(LibsqlBatchError);
    expect((failure as LibsqlBatchError).statementIndex).toBe(1);
    expect(failure.code).toBe("SQLITE_CONSTRAINT");
    expect((await db.execute("SELECT email FROM leads ORDER BY id")).rows.map((r) => r.email)).toEqual([
      "a@x.io",
      "b@x.io",
    ]);

    const deferred = await db.batch(
      ["INSERT INTO leads (email) VALUES ('e@x.io')", "SELECT count(*) AS n FROM leads"],
      "deferred",
    );
    expect(deferred[1]!.rows[0]!.n).toBe(3);
    await expect(
      db.batch(["INSERT INTO leads (email) VALUES ('f@x.io')", "INSERT INTO nope VALUES (1)"], "deferred"),
    ).rejects.toThrow(/no such table/);
    expect((await db.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(3);

    const read = await db.batch(["SELECT count(*) AS n FROM leads", "SELECT max(id) AS m FROM leads"], "read");
    expect(read.map((r) => Object.values(r.rows[0]!)[0])).toEqual([3, 3]);
    // libsql accepts BEGIN TRANSACTION READONLY without enforcing it; the server enforces it like sqld.
    const readWrite = await rejection(db.batch(["INSERT INTO leads (email) VALUES ('g@x.io')"], "read"));
    expect(readWrite.code).toBe("SQLITE_READONLY");
    expect((await db.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(3);
    // ...and the connection is writable again afterwards.
    await db.execute("INSERT INTO leads (email) VALUES ('h@x.io')");
  });

  it("isolates an interactive transaction until commit", async () => {
    const server = await startTestServer();
    const db = client(server);
    const outside = client(server);
    await db.execute(LEADS);

    const tx = await db.transaction("write");
    await tx.execute({ sql: "INSERT INTO leads (email) VALUES (?)", args: ["tx@x.io"] });
    const [inside] = await tx.batch(["SELECT count(*) AS n FROM leads"]);
    expect(inside!.rows[0]!.n).toBe(1);
    expect((await outside.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(0);
    await tx.executeMultiple(
      "INSERT INTO leads (email) VALUES ('m1@x.io'); INSERT INTO leads (email) VALUES ('m2@x.io');",
    );
    await tx.commit();
    expect(tx.closed).toBe(true);
    expect((await outside.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(3);
  });

  it("discards a transaction on rollback and on close", async () => {
    const server = await startTestServer();
    const db = client(server);
    await db.execute(LEADS);

    const tx = await db.transaction("deferred");
    await tx.execute("INSERT INTO leads (email) VALUES ('gone@x.io')");
    expect((await tx.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(1);
    await tx.rollback();
    expect((await db.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(0);

    // A transaction that fails mid-way stays usable for the caller to decide.
    const tx2 = await db.transaction("write");
    await tx2.execute("INSERT INTO leads (email) VALUES ('dup@x.io')");
    await expect(tx2.execute("INSERT INTO leads (email) VALUES ('dup@x.io')")).rejects.toThrow(/UNIQUE/);
    await tx2.execute("INSERT INTO leads (email) VALUES ('ok@x.io')");
    tx2.close(); // no commit: the server rolls back when the stream closes
    expect((await db.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(0);
    // ...and the write lock is free again.
    await db.execute("INSERT INTO leads (email) VALUES ('after@x.io')");
  });

  it("runs executeMultiple and migrate", async () => {
    const server = await startTestServer();
    const db = client(server);
    await db.executeMultiple(`
      -- a comment; with a semicolon
      CREATE TABLE a (x TEXT);
      CREATE TABLE log (msg TEXT);
      CREATE TRIGGER a_log AFTER INSERT ON a BEGIN
        INSERT INTO log VALUES ('one;' || new.x);
        INSERT INTO log VALUES ('two');
      END;
      INSERT INTO a VALUES ('x;y');
    `);
    expect((await db.execute("SELECT msg FROM log ORDER BY rowid")).rows.map((r) => r.msg)).toEqual(["one;x;y", "two"]);

    // Like sqld, a sequence stops at the first error; earlier statements stay (no implicit transaction).
    await expect(
      db.executeMultiple("INSERT INTO a VALUES ('1'); INSERT INTO missing VALUES (2); INSERT INTO a VALUES ('3');"),
    ).rejects.toThrow(/no such table/);
    expect((await db.execute("SELECT x FROM a ORDER BY rowid")).rows.map((r) => r.x)).toEqual(["x;y", "1"]);

    const migrated = await db.migrate(["CREATE TABLE m (id INTEGER PRIMARY KEY)", "INSERT INTO m VALUES (1)"]);
    expect(migrated).toHaveLength(2);
    expect((await db.execute("SELECT count(*) AS n FROM m")).rows[0]!.n).toBe(1);
    // migrate turns foreign keys off for its batch; that must not leak into later calls.
    await db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
    await db.execute("CREATE TABLE child (p INTEGER REFERENCES parent(id))");
    expect((await db.execute("PRAGMA foreign_keys")).rows[0]![0]).toBe(1);
    await expect(db.execute("INSERT INTO child VALUES (42)")).rejects.toThrow(/FOREIGN KEY/);
  });

  it("maps SQLite and protocol errors to LibsqlError codes", async () => {
    const server = await startTestServer();
    const db = client(server);
    await db.execute(LEADS);
    await db.execute("INSERT INTO leads (email) VALUES ('a@x.io')");

    const unique = await rejection(db.execute("INSERT INTO leads (email) VALUES ('a@x.io')"));
    expect(unique.code).toBe("SQLITE_CONSTRAINT");
    expect(unique.message).toContain("UNIQUE constraint failed: leads.email");
    expect((await rejection(db.execute("INSERT INTO leads (email) VALUES (NULL)"))).code).toBe("SQLITE_CONSTRAINT");

    const syntax = await rejection(db.execute("SELEC 1"));
    expect(syntax.code).toBe("SQL_PARSE_ERROR");
    expect(syntax.message).toContain("syntax error");
    expect((await rejection(db.execute("SELECT * FROM nope"))).code).toBe("SQLITE_ERROR");
    expect((await rejection(db.execute("SELECT 1; SELECT 2"))).code).toBe("SQL_MANY_STATEMENTS");
    expect((await rejection(db.execute("  -- nothing here\n"))).code).toBe("SQL_NO_STATEMENT");
    // A trailing semicolon is still one statement.
    expect((await db.execute("SELECT 1 AS one;  ")).rows[0]!.one).toBe(1);
    // The server keeps working after all of that.
    expect((await db.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(1);
  });

  it("requires the bearer token when one is configured", async () => {
    const server = await startTestServer({ authToken: "s3cret" });
    const good = client(server, { authToken: "s3cret" });
    expect((await good.execute("SELECT 1 AS one")).rows[0]!.one).toBe(1);

    const wrong = await rejection(client(server, { authToken: "nope" }).execute("SELECT 1"));
    expect(wrong.code).toBe("UNAUTHORIZED");
    const missing = await rejection(client(server).execute("SELECT 1"));
    expect(missing.code).toBe("UNAUTHORIZED");

    const raw = await postJson(
      `${server.url}/v2/pipeline`,
      { baton: null, requests: [exec("SELECT 1"), close] },
      "s3cre",
    );
    expect(raw.status).toBe(401);
    expect(raw.contentType).toBe("application/json");
    expect(raw.body).toMatchObject({ code: "UNAUTHORIZED" });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(server.stats().statements).toBe(1);
  });

  it("expires an idle stream, rolling back its transaction and releasing its lock", async () => {
    // No wait for a lock: a writer below that found the expired stream's lock still held would fail at once.
    const server = await startTestServer({ streamIdleTimeoutMs: 150, busyTimeoutMs: 0 });
    const db = client(server);
    await db.execute(LEADS);

    const tx = await db.transaction("write");
    await tx.execute("INSERT INTO leads (email) VALUES ('idle@x.io')");
    await sleep(400);

    const expired = await rejection(tx.execute("SELECT 1"));
    expect(expired.code).toBe("STREAM_EXPIRED");
    expect((await db.execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(0);
    // Another writer does not have to wait for anything.
    await db.execute("INSERT INTO leads (email) VALUES ('next@x.io')");
    expect(server.logs.some((l) => l.includes("expired") && l.includes("rolled back"))).toBe(true);
  });

  it("serves several clients at once, making writers wait for an open write transaction", async () => {
    const server = await startTestServer();
    const setup = client(server);
    await setup.execute("CREATE TABLE hits (client INTEGER, n INTEGER)");

    const clients = Array.from({ length: 6 }, () => client(server));
    await Promise.all(
      clients.map((c, k) =>
        Promise.all(
          Array.from({ length: 10 }, (_, n) => c.execute({ sql: "INSERT INTO hits VALUES (?, ?)", args: [k, n] })),
        ),
      ),
    );
    expect((await setup.execute("SELECT count(*) AS n FROM hits")).rows[0]!.n).toBe(60);

    // While one stream holds the write lock across HTTP requests, other writes wait (asynchronously,
    // so the lock holder can still be served) and go through once it commits.
    const tx = await setup.transaction("write");
    await tx.execute("INSERT INTO hits VALUES (100, 0)");
    const waiting = Promise.all(
      clients.map((c, k) => c.execute({ sql: "INSERT INTO hits VALUES (?, 1)", args: [k + 200] })),
    );
    const reads = await Promise.all(clients.map((c) => c.execute("SELECT count(*) AS n FROM hits")));
    expect(reads.map((r) => r.rows[0]!.n)).toEqual(clients.map(() => 60)); // WAL readers are not blocked
    await sleep(60);
    await tx.execute("INSERT INTO hits VALUES (100, 1)");
    await tx.commit();
    await waiting;
    expect((await setup.execute("SELECT count(*) AS n FROM hits")).rows[0]!.n).toBe(68);

    // Concurrent interactive transactions are serialized by the write lock, not lost.
    await Promise.all(
      clients.slice(0, 3).map(async (c, k) => {
        const t = await c.transaction("write");
        await t.execute({ sql: "INSERT INTO hits VALUES (?, 2)", args: [300 + k] });
        await t.commit();
      }),
    );
    expect((await setup.execute("SELECT count(*) AS n FROM hits WHERE client >= 300")).rows[0]!.n).toBe(3);
  });

  it("gives up on a held write lock after busyTimeoutMs with SQLITE_BUSY and leaves no connection stuck", async () => {
    const server = await startTestServer({ busyTimeoutMs: 80 });
    const db = client(server);
    await db.execute("CREATE TABLE b (x)");

    const holder = await db.transaction("write");
    await holder.execute("INSERT INTO b VALUES ('holder')");
    const oneShot = await rejection(db.execute("INSERT INTO b VALUES ('one-shot')"));
    expect(oneShot.code).toBe("SQLITE_BUSY");
    const waiter = await db.transaction("deferred");
    await waiter.execute("SELECT 1");
    await expect(waiter.execute("INSERT INTO b VALUES ('waiter')")).rejects.toThrow(/SQLITE_BUSY/);
    await holder.commit();
    // Each failure is in the server's log, with what waited and how long, so a client's SQLITE_BUSY can be traced.
    const busy = server.logs.filter((line) => line.startsWith("SQLITE_BUSY"));
    expect(busy).toHaveLength(2);
    expect(busy[0]).toMatch(
      /^SQLITE_BUSY on connection \d+ outside a transaction, after (\d+) ms: INSERT INTO b VALUES \('one-shot'\)$/,
    );
    // It stops retrying once the next pause (25 ms at most) would pass the 80 ms.
    expect(Number(busy[0]!.match(/after (\d+) ms/)![1])).toBeGreaterThanOrEqual(50);
    expect(busy[1]).toMatch(
      /^SQLITE_BUSY on connection \d+ in a transaction, after \d+ ms: INSERT INTO b VALUES \('waiter'\)$/,
    );

    // A statement that failed with SQLITE_BUSY would otherwise stay active inside SQLite and make
    // COMMIT fail with "SQL statements in progress", in this stream and in whoever reuses the connection.
    await waiter.execute("INSERT INTO b VALUES ('waiter')");
    await waiter.commit();
    for (let i = 0; i < 3; i++) await db.execute({ sql: "INSERT INTO b VALUES (?)", args: [`after ${i}`] });
    const t = await db.transaction("write");
    await t.execute("INSERT INTO b VALUES ('last')");
    await t.commit();
    expect((await db.execute("SELECT x FROM b ORDER BY rowid")).rows.map((r) => r.x)).toEqual([
      "holder",
      "waiter",
      "after 0",
      "after 1",
      "after 2",
      "last",
    ]);

    // The same within one pipeline, where nothing (not even GC) can tidy up in between.
    const again = await db.transaction("write");
    await again.execute("INSERT INTO b VALUES ('again')");
    const raw = await postJson<PipelineJson>(`${server.url}/v2/pipeline`, {
      baton: null,
      requests: [
        exec("BEGIN"),
        exec("INSERT INTO b VALUES ('raw')"),
        exec("COMMIT"),
        { type: "get_autocommit" },
        exec("SELECT count(*) FROM b"),
        close,
      ],
    });
    expect(raw.body.results.map((r: any) => r.error?.code ?? r.type)).toEqual([
      "ok",
      "SQLITE_BUSY",
      "ok",
      "ok",
      "ok",
      "ok",
    ]);
    expect(raw.body.results[3].response.is_autocommit).toBe(true);
    await again.rollback();
  });

  it.skipIf(process.platform !== "linux")(
    "reuses pooled connections for one-shot streams instead of opening one per call",
    async () => {
      const server = await startTestServer();
      const db = client(server);
      // Each libsql connection holds one descriptor on the database file (the server runs in-process).
      const connections = () =>
        readdirSync("/proc/self/fd").filter((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`) === server.file;
          } catch {
            return false;
          }
        }).length;
      await db.execute("CREATE TABLE p (x)");
      for (let i = 0; i < 40; i++) await db.execute({ sql: "INSERT INTO p VALUES (?)", args: [i] });
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => db.execute({ sql: "SELECT x FROM p WHERE x = ?", args: [i] })),
      );
      await db.batch(["INSERT INTO p VALUES (-1)", "SELECT count(*) FROM p"], "write");
      expect(connections()).toBe(1);
    },
  );

  it("does not let connection state leak from one stream to the next", async () => {
    const server = await startTestServer();
    const db = client(server);
    await db.execute(LEADS);

    // A one-shot BEGIN is rolled back when its stream closes, so the next call is in autocommit again.
    await db.execute("BEGIN IMMEDIATE");
    await db.execute("INSERT INTO leads (email) VALUES ('x@x.io')");
    expect((await client(server).execute("SELECT count(*) AS n FROM leads")).rows[0]!.n).toBe(1);

    await db.execute("CREATE TEMP TABLE scratch (x)");
    await expect(db.execute("SELECT * FROM temp.scratch")).rejects.toThrow(/no such table/);
    await db.execute("PRAGMA foreign_keys = OFF");
    expect((await db.execute("PRAGMA foreign_keys")).rows[0]![0]).toBe(1);
  });

  it("counts one pipeline request per client.execute and per batch", async () => {
    const server = await startTestServer();
    const db = client(server);
    await db.execute(LEADS);

    server.resetStats();
    await db.execute("SELECT 1");
    expect(server.stats()).toEqual({ pipelineRequests: 1, cursorRequests: 0, statements: 1 });

    server.resetStats();
    await db.batch(["INSERT INTO leads (email) VALUES ('a@x.io')", "SELECT 1"], "write");
    // BEGIN + 2 statements + COMMIT; the ROLLBACK step is skipped.
    expect(server.stats()).toEqual({ pipelineRequests: 1, cursorRequests: 0, statements: 4 });

    server.resetStats();
    const tx = await db.transaction("write");
    await tx.execute("SELECT 1");
    await tx.execute("SELECT 2");
    await tx.commit();
    expect(server.stats().pipelineRequests).toBe(3);

    // The same counters over HTTP, for tests that run in another process.
    const overHttp = await (await fetch(`${server.url}/_stats`)).json();
    expect(overHttp).toEqual(server.stats());
    const reset = await postJson(`${server.url}/_stats/reset`, {});
    expect(reset.body).toEqual({ pipelineRequests: 0, cursorRequests: 0, statements: 0 });
    expect(server.stats().pipelineRequests).toBe(0);
  });

  it("counts a token's pipeline requests apart, for tests that tag the Worker's requests", async () => {
    const server = await startTestServer();
    const tagged = client(server, { authToken: "window-1" });
    const other = client(server, { authToken: "window-2" });
    const plain = client(server);
    await tagged.execute("SELECT 1");
    await tagged.batch(["SELECT 1", "SELECT 2"], "read");
    await other.execute("SELECT 1");
    await plain.execute("SELECT 1");
    const count = async (token: string) =>
      (await (await fetch(`${server.url}/_stats?token=${encodeURIComponent(token)}`)).json()) as unknown;
    expect(await count("window-1")).toEqual({ pipelineRequests: 2 });
    expect(await count("window-2")).toEqual({ pipelineRequests: 1 });
    expect(await count("never-used")).toEqual({ pipelineRequests: 0 });
    expect(server.stats().pipelineRequests).toBe(4);
    await postJson(`${server.url}/_stats/reset`, {});
    expect(await count("window-1")).toEqual({ pipelineRequests: 0 });
  });

  it("works with the @libsql/client/web entry point (what the Worker imports)", async () => {
    const server = await startTestServer({ authToken: "t" });
    const web = createWebClient({ url: server.url, authToken: "t", intMode: "number" });
    onTestFinished(() => web.close());
    await web.execute("CREATE TABLE w (id INTEGER PRIMARY KEY, name TEXT)");
    const [ins, sel] = await web.batch(
      [{ sql: "INSERT INTO w (name) VALUES (?)", args: ["web"] }, "SELECT id, name FROM w"],
      "write",
    );
    expect(ins!.lastInsertRowid).toBe(1n);
    expect(sel!.rows[0]).toMatchObject({ id: 1, name: "web" });
  });
});

describe("Hrana over HTTP, raw", () => {
  it("answers version checks, health, and 404 for unknown paths (including v3-protobuf)", async () => {
    const server = await startTestServer();
    for (const path of ["/v2", "/v3", "/health"]) expect((await fetch(server.url + path)).status).toBe(200);
    const missing = await fetch(`${server.url}/v3-protobuf`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "NOT_FOUND" });
    expect((await fetch(`${server.url}/v2/pipeline`)).status).toBe(405);
  });

  it("executes in order, isolates failures, and closes the stream on request", async () => {
    const server = await startTestServer();
    const res = await postJson<PipelineJson>(`${server.url}/v3/pipeline`, {
      baton: null,
      requests: [
        exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)"),
        exec("INSERT INTO t (b) VALUES (?)", [text("one")]),
        exec("INSERT INTO t (a, b) VALUES (1, 'dup')"),
        exec("SELECT a, b FROM t", [], { want_rows: false }),
        exec("SELECT a, b FROM t WHERE a = :a", [], { named_args: [{ name: "a", value: int(1) }] }),
        { type: "execute", stmt: { sql: "SELECT ?", args: [{ type: "integer", value: true }] } },
        { type: "nonsense" },
        close,
        exec("SELECT 1"),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe("application/json");
    const { baton, base_url, results } = res.body;
    expect(baton).toBeNull();
    expect(base_url).toBeNull();
    expect(results.map((r: any) => r.type)).toEqual(["ok", "ok", "error", "ok", "ok", "error", "error", "ok", "error"]);
    expect(results[1].response.result).toMatchObject({
      affected_row_count: 1,
      last_insert_rowid: "1",
      cols: [],
      rows: [],
    });
    expect(results[2].error).toMatchObject({
      code: "SQLITE_CONSTRAINT",
      extended_code: "SQLITE_CONSTRAINT_PRIMARYKEY",
    });
    expect(results[3].response.result.cols).toEqual([
      { name: "a", decltype: "INTEGER" },
      { name: "b", decltype: "TEXT" },
    ]);
    expect(results[3].response.result.rows).toEqual([]);
    const withRows = results[4].response.result;
    expect(withRows.rows).toEqual([[int(1), text("one")]]);
    expect(withRows).toHaveProperty("rows_read");
    expect(withRows).toHaveProperty("rows_written");
    expect(typeof withRows.query_duration_ms).toBe("number");
    expect(results[5].error.code).toBe("PROTO_ERROR"); // a boolean never reaches libsql (it would abort)
    expect(results[6].error.code).toBe("PROTO_ERROR");
    expect(results[7].response).toEqual({ type: "close" });
    expect(results[8].error.code).toBe("STREAM_CLOSED");
  });

  it("encodes every value type on the wire", async () => {
    const server = await startTestServer();
    const res = await postJson<PipelineJson>(`${server.url}/v2/pipeline`, {
      baton: null,
      requests: [
        exec("SELECT ?, ?, ?, ?, ?, 1.0, -9223372036854775808", [
          int("9223372036854775807"),
          float(-2.5),
          text("ünï ✓"),
          { type: "blob", base64: Buffer.from([0, 255, 16]).toString("base64") },
          { type: "null" },
        ]),
        exec("SELECT ?", [int("9223372036854775808")]),
        exec("SELECT ?", [text("nul\u0000inside")]),
        exec("SELECT 1\u0000 and whatever follows"),
        close,
      ],
    });
    const [ok, overflow, nulText, nulSql] = res.body.results;
    expect(ok.response.result.rows[0]).toEqual([
      int("9223372036854775807"),
      float(-2.5),
      text("ünï ✓"),
      { type: "blob", base64: "AP8Q" },
      { type: "null" },
      float(1),
      int("-9223372036854775808"),
    ]);
    expect(overflow.error.code).toBe("PROTO_ERROR");
    // libsql-js would silently truncate at a NUL; refusing is better than corrupting.
    expect(nulText.error.code).toBe("ARGS_INVALID");
    expect(nulSql.error.code).toBe("SQL_PARSE_ERROR");
  });

  it("keeps a stream across requests with fresh single-use batons", async () => {
    const server = await startTestServer();
    const url = `${server.url}/v3/pipeline`;
    const first = await postJson<PipelineJson>(url, {
      baton: null,
      requests: [{ type: "get_autocommit" }, exec("BEGIN"), { type: "get_autocommit" }, exec("CREATE TABLE t (x)")],
    });
    const { baton, results } = first.body;
    expect(typeof baton).toBe("string");
    expect(results.map((r: any) => r.response.is_autocommit)).toEqual([true, undefined, false, undefined]);

    const second = await postJson<PipelineJson>(url, {
      baton,
      requests: [exec("INSERT INTO t VALUES (1)"), exec("COMMIT"), { type: "get_autocommit" }],
    });
    expect(second.status).toBe(200);
    expect(second.body.baton).not.toBe(baton);
    expect(second.body.results[2].response.is_autocommit).toBe(true);

    const reused = await postJson<PipelineJson>(url, { baton, requests: [exec("SELECT 1")] });
    expect(reused.status).toBe(400);
    expect(reused.contentType).toBe("application/json");
    expect(reused.body).toMatchObject({ code: "BATON_INVALID" });
    const forged = await postJson<PipelineJson>(url, { baton: "not-a-baton", requests: [] });
    expect(forged.status).toBe(400);

    const last = await postJson<PipelineJson>(url, { baton: second.body.baton, requests: [close] });
    expect(last.body.baton).toBeNull();
    expect((await postJson<PipelineJson>(url, { baton: second.body.baton, requests: [] })).status).toBe(400);
  });

  it("rejects malformed bodies with HTTP 400", async () => {
    const server = await startTestServer();
    const url = `${server.url}/v2/pipeline`;
    const badJson = await postJson<PipelineJson>(url, "{not json");
    expect(badJson.status).toBe(400);
    expect(badJson.body).toMatchObject({
      code: "INVALID_JSON",
      message: expect.any(String),
      error: expect.any(String),
    });
    expect((await postJson<PipelineJson>(url, { baton: null })).status).toBe(400);
    expect((await postJson<PipelineJson>(url, { baton: 12, requests: [] })).status).toBe(400);
    expect((await postJson<PipelineJson>(url, [1, 2])).status).toBe(400);
  });

  it("stores and closes SQL texts per stream", async () => {
    const server = await startTestServer();
    const url = `${server.url}/v2/pipeline`;
    const res = await postJson<PipelineJson>(url, {
      baton: null,
      requests: [
        { type: "store_sql", sql_id: 7, sql: "SELECT ? * 2 AS doubled" },
        { type: "execute", stmt: { sql_id: 7, args: [int(21)] } },
        { type: "store_sql", sql_id: 7, sql: "SELECT 'again'" },
        { type: "describe", sql_id: 7 },
        { type: "close_sql", sql_id: 7 },
        { type: "close_sql", sql_id: 7 },
        { type: "execute", stmt: { sql_id: 7 } },
        { type: "execute", stmt: { sql: "SELECT 1", sql_id: 1 } },
      ],
    });
    const r = res.body.results;
    expect(r[0].response).toEqual({ type: "store_sql" });
    expect(r[1].response.result.rows).toEqual([[int(42)]]);
    expect(r[2].type).toBe("error");
    expect(r[3].response.result.cols).toEqual([{ name: "doubled", decltype: null }]);
    expect(r[4].response).toEqual({ type: "close_sql" });
    expect(r[5].response).toEqual({ type: "close_sql" }); // closing an unknown id is not an error
    expect(r[6].error.code).toBe("SQL_NOT_FOUND");
    expect(r[7].error.code).toBe("PROTO_ERROR");

    // Stored SQL belongs to its stream.
    await postJson<PipelineJson>(url, {
      baton: res.body.baton,
      requests: [{ type: "store_sql", sql_id: 1, sql: "SELECT 1" }, close],
    });
    const other = await postJson<PipelineJson>(url, {
      baton: null,
      requests: [{ type: "execute", stmt: { sql_id: 1 } }, close],
    });
    expect(other.body.results[0].error.code).toBe("SQL_NOT_FOUND");
  });

  it("describes statements", async () => {
    const server = await startTestServer();
    const res = await postJson<PipelineJson>(`${server.url}/v3/pipeline`, {
      baton: null,
      requests: [
        exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data)"),
        {
          type: "describe",
          sql:
            "SELECT id, name AS n, data, 1 + 1 AS two FROM t " +
            "WHERE id = ? AND name = :name OR name = @name OR id = ?5 OR id = ?",
        },
        { type: "describe", sql: "INSERT INTO t (name) VALUES ($v)" },
        { type: "describe", sql: "EXPLAIN SELECT * FROM t" },
        { type: "describe", sql: "WITH x AS (SELECT 1) DELETE FROM t" },
        { type: "describe", sql: "SELECT * FROM missing" },
        close,
      ],
    });
    const [, select, insert, explain, withDelete, missing] = res.body.results;
    expect(select.response.result).toEqual({
      params: [{ name: null }, { name: ":name" }, { name: "@name" }, { name: null }, { name: "?5" }, { name: null }],
      cols: [
        { name: "id", decltype: "INTEGER" },
        { name: "n", decltype: "TEXT" },
        { name: "data", decltype: null },
        { name: "two", decltype: null },
      ],
      is_explain: false,
      is_readonly: true,
    });
    expect(insert.response.result).toMatchObject({
      params: [{ name: "$v" }],
      cols: [],
      is_explain: false,
      is_readonly: false,
    });
    expect(explain.response.result).toMatchObject({ is_explain: true, is_readonly: true });
    expect(withDelete.response.result.is_readonly).toBe(false);
    expect(missing.error.code).toBe("SQLITE_ERROR");
  });

  it("evaluates batch conditions: ok, error, not, and, or, is_autocommit", async () => {
    const server = await startTestServer();
    const step = (sql: string, condition?: unknown) => ({ stmt: { sql }, ...(condition ? { condition } : {}) });
    const res = await postJson<PipelineJson>(`${server.url}/v3/pipeline`, {
      baton: null,
      requests: [
        {
          type: "batch",
          batch: {
            steps: [
              step("SELECT 'zero'"), // 0 ok
              step("SELECT * FROM missing"), // 1 error
              step("SELECT 'ok0'", { type: "ok", step: 0 }), // 2 runs
              step("SELECT 'ok1'", { type: "ok", step: 1 }), // 3 skipped
              step("SELECT 'err1'", { type: "error", step: 1 }), // 4 runs
              step("SELECT 'not'", { type: "not", cond: { type: "ok", step: 3 } }), // 5 runs: skipped is not ok
              step("SELECT 'err3'", { type: "error", step: 3 }), // 6 skipped: skipped is not an error either
              step("SELECT 'and'", {
                type: "and",
                conds: [
                  { type: "ok", step: 0 },
                  { type: "error", step: 1 },
                ],
              }), // 7 runs
              step("SELECT 'and-'", {
                type: "and",
                conds: [
                  { type: "ok", step: 0 },
                  { type: "ok", step: 1 },
                ],
              }), // 8 skipped
              step("SELECT 'or'", {
                type: "or",
                conds: [
                  { type: "ok", step: 1 },
                  { type: "ok", step: 2 },
                ],
              }), // 9 runs
              step("SELECT 'or-'", { type: "or", conds: [] }), // 10 skipped
              step("BEGIN", { type: "is_autocommit" }), // 11 runs
              step("SELECT 'in tx'", { type: "not", cond: { type: "is_autocommit" } }), // 12 runs
              step("COMMIT"), // 13
              step("SELECT 'tx over'", { type: "is_autocommit" }), // 14 runs
            ],
          },
        },
        { type: "batch", batch: { steps: [step("SELECT 1", { type: "ok", step: 0 })] } },
        {
          type: "batch",
          batch: { steps: [step("SELECT 1"), step("SELECT 2", { type: "and", conds: [{ type: "ok", step: 5 }] })] },
        },
        close,
      ],
    });
    const [batch, selfRef, forwardRef] = res.body.results;
    const { step_results, step_errors } = batch.response.result;
    const ran = step_results.map((r: any, i: number) => (r ? "ok" : step_errors[i] ? "error" : "skipped"));
    expect(ran).toEqual([
      "ok",
      "error",
      "ok",
      "skipped",
      "ok",
      "ok",
      "skipped",
      "ok",
      "skipped",
      "ok",
      "skipped",
      "ok",
      "ok",
      "ok",
      "ok",
    ]);
    expect(step_errors[1]).toMatchObject({ code: "SQLITE_ERROR" });
    expect(step_results[12]!.rows).toEqual([[text("in tx")]]);
    expect(selfRef.error.code).toBe("BATCH_COND_BAD_STEP");
    expect(forwardRef.error.code).toBe("BATCH_COND_BAD_STEP");
  });

  it("runs sequences and rejects multiple statements in execute", async () => {
    const server = await startTestServer();
    const res = await postJson<PipelineJson>(`${server.url}/v2/pipeline`, {
      baton: null,
      requests: [
        {
          type: "sequence",
          sql: "CREATE TABLE s (x); INSERT INTO s VALUES ('a;b'); /* ; */ INSERT INTO s VALUES (2);",
        },
        { type: "sequence", sql: "   " },
        exec("SELECT count(*) FROM s; DELETE FROM s"),
        exec("SELECT count(*) FROM s"),
        close,
      ],
    });
    const r = res.body.results;
    expect(r.slice(0, 2).map((x: any) => x.response)).toEqual([{ type: "sequence" }, { type: "sequence" }]);
    expect(r[2].error.code).toBe("SQL_MANY_STATEMENTS");
    expect(r[3].response.result.rows).toEqual([[int(2)]]);
  });

  it("streams a batch from /v3/cursor as NDJSON", async () => {
    const server = await startTestServer();
    const res = await fetch(`${server.url}/v3/cursor`, {
      method: "POST",
      body: JSON.stringify({
        baton: null,
        batch: {
          steps: [
            { stmt: { sql: "CREATE TABLE c (x INTEGER)" } },
            { stmt: { sql: "INSERT INTO c VALUES (1), (2), (3)" } },
            { stmt: { sql: "SELECT x FROM c ORDER BY x" } },
            { stmt: { sql: "SELECT * FROM nope" } },
            { stmt: { sql: "SELECT 'skipped'" }, condition: { type: "ok", step: 3 } },
          ],
        },
      }),
    });
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    const [head, ...entries] = lines;
    expect(typeof head.baton).toBe("string");
    expect(head.base_url).toBeNull();
    expect(entries.map((e: any) => e.type)).toEqual([
      "step_begin",
      "step_end",
      "step_begin",
      "step_end",
      "step_begin",
      "row",
      "row",
      "row",
      "step_end",
      "step_error",
    ]);
    expect(entries[2]).toMatchObject({ step: 1 });
    expect(entries[3]).toMatchObject({ affected_row_count: 3, last_insert_rowid: "3" });
    expect(entries[4]).toEqual({ type: "step_begin", step: 2, cols: [{ name: "x", decltype: "INTEGER" }] });
    expect(entries.slice(5, 8).map((e: any) => e.row)).toEqual([[int(1)], [int(2)], [int(3)]]);
    expect(entries[9]).toMatchObject({ step: 3, error: { code: "SQLITE_ERROR" } });
    expect(server.stats().cursorRequests).toBe(1);

    // The cursor's baton continues the stream; an invalid batch becomes an `error` entry.
    const again = await fetch(`${server.url}/v3/cursor`, {
      method: "POST",
      body: JSON.stringify({ baton: head.baton, batch: { steps: "nope" } }),
    });
    const againLines = (await again.text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(againLines[1]).toMatchObject({ type: "error", error: { code: "PROTO_ERROR" } });
    const closed = await postJson<PipelineJson>(`${server.url}/v3/pipeline`, {
      baton: againLines[0].baton,
      requests: [close],
    });
    expect(closed.body).toMatchObject({ baton: null, results: [{ type: "ok" }] });
  });

  it("serves hrana-client's protocol-3 streams (cursor, getAutocommit) when pointed at /v3 JSON", async () => {
    const server = await startTestServer();
    const c = hrana.openHttp(server.url, undefined, undefined, undefined, 3);
    onTestFinished(() => c.close());
    // hrana-client only probes v3-protobuf; after the fallback to v2, point it at the JSON v3 endpoints.
    expect(await c.getVersion()).toBe(2);
    c._endpoint = {
      versionPath: "v3",
      pipelinePath: "v3/pipeline",
      cursorPath: "v3/cursor",
      version: 3,
      encoding: "json",
    };

    const stream = c.openStream();
    expect(await stream.getAutocommit()).toBe(true);
    await stream.run("CREATE TABLE h (x INTEGER, y TEXT)");
    const batch = stream.batch(true); // true = use a cursor
    batch.step().run("BEGIN");
    const inserted = batch
      .step()
      .condition(hrana.BatchCond.not(hrana.BatchCond.isAutocommit(batch)))
      .run(new hrana.Stmt("INSERT INTO h VALUES (?, ?)").bindIndexes([1n, "one"]));
    const rows = batch.step().query("SELECT x, y FROM h");
    await batch.execute();
    expect((await inserted)?.affectedRowCount).toBe(1);
    expect((await rows)?.rows.map((r) => [r[0], r[1]])).toEqual([[1, "one"]]);
    expect(await stream.getAutocommit()).toBe(false);
    await stream.run("COMMIT");
    expect(await stream.getAutocommit()).toBe(true);
    const described = await stream.describe("SELECT x FROM h WHERE y = ?");
    expect(described.paramNames).toEqual([undefined]);
    expect(described.columns).toEqual([{ name: "x", decltype: "INTEGER" }]);
    stream.close();
    expect(server.stats().cursorRequests).toBe(1);
  });
});
