// The server's own HTTP/1.1 (db/server/http1.ts) byte by byte: what clients other than fetch may send
// (pipelining, chunked bodies, Expect, HTTP/1.0, heads split across packets) and what it must refuse.

import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { createHttp1Server } from "../../db/server/http1";
import {
  close as closeStream,
  exec,
  type PipelineJson,
  postJson,
  startTestServer,
  testClient,
} from "../support/node/libsql-server";

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `parts` (each its own write, as separate packets would arrive) and reads until the server closes;
 * `halfClose` ends the sending side after the last part.
 */
async function raw(url: string, parts: string[], halfClose = false): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket: Socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const chunks: Buffer[] = [];
  socket.on("data", (c: Buffer) => chunks.push(c));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  for (const part of parts) {
    socket.write(part);
    // Let each part leave on its own before the next one.
    await new Promise((r) => setImmediate(r));
  }
  if (halfClose) socket.end();
  await closed;
  return Buffer.concat(chunks).toString("utf8");
}

/** Splits a byte stream of answers (length-delimited or chunked) into answers. */
function answers(text: string): RawAnswer[] {
  const out: RawAnswer[] = [];
  let rest = text;
  // Bounded by the text: each turn consumes one answer or stops.
  while (rest.length > 0) {
    const headEnd = rest.indexOf("\r\n\r\n");
    if (headEnd < 0) break;
    const [statusLine, ...lines] = rest.slice(0, headEnd).split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(":");
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    rest = rest.slice(headEnd + 4);
    let body = "";
    if (headers["transfer-encoding"] === "chunked") {
      for (;;) {
        const eol = rest.indexOf("\r\n");
        const size = Number.parseInt(rest.slice(0, eol), 16);
        rest = rest.slice(eol + 2);
        if (size === 0) {
          rest = rest.slice(2);
          break;
        }
        body += rest.slice(0, size);
        rest = rest.slice(size + 2);
      }
    } else if (headers["content-length"] !== undefined) {
      const n = Number(headers["content-length"]);
      body = rest.slice(0, n);
      rest = rest.slice(n);
    } else if (!/ (100|204) /.test(statusLine!)) {
      body = rest;
      rest = "";
    }
    out.push({ status: Number(statusLine!.split(" ")[1]), headers, body });
  }
  return out;
}

const pipelineBody = (sql: string) =>
  JSON.stringify({ baton: null, requests: [{ type: "execute", stmt: { sql } }, { type: "close" }] });

function post(path: string, body: string, extra = ""): string {
  const head = `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${extra}`;
  return `${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const close = "GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";

describe("HTTP/1.1", () => {
  it("answers pipelined requests in order on one connection, heads and bodies split anywhere", async () => {
    const server = await startTestServer();
    await testClient(server.url).execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    const stream = [
      post("/v2/pipeline", pipelineBody("INSERT INTO t (v) VALUES ('a')")),
      post("/v3/pipeline", pipelineBody("INSERT INTO t (v) VALUES ('b')")),
      "GET /version HTTP/1.1\r\nhost: x\r\n\r\n",
      close,
    ].join("");
    // The same bytes in one write and cut into 7-byte pieces.
    for (const parts of [[stream], stream.match(/[\s\S]{1,7}/g)!]) {
      const got = answers(await raw(server.url, parts));
      expect(got.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const rowids = got.slice(0, 2).map((a) => JSON.parse(a.body).results[0].response.result.last_insert_rowid);
      expect(Number(rowids[1]) - Number(rowids[0])).toBe(1);
      expect(got[2]!.body).toBe("leadrelay-libsql-dev");
      expect(got[3]!.headers.connection).toBe("close");
    }
  });

  it("judges every request by its own head when heads repeat, differ in one value, or outnumber those kept", async () => {
    const server = await startTestServer({ authToken: "secret" });
    const good = "authorization: Bearer secret\r\n";
    const bad = "authorization: Bearer secreT\r\n";
    const select = (n: number) => post("/v2/pipeline", pipelineBody(`SELECT ${n} AS n`), good);
    // More distinct heads than the server keeps parsed, so the cache is emptied along the way.
    const many = Array.from({ length: 300 }, (_, i) => `GET /health HTTP/1.1\r\nhost: x\r\nx-n: ${i}\r\n\r\n`);
    const stream = [
      select(1),
      select(1),
      post("/v2/pipeline", pipelineBody("SELECT 1 AS n"), bad),
      select(1),
      select(123456),
      ...many,
      post("/v2/pipeline", pipelineBody("SELECT 1 AS n"), bad),
      select(7),
      close,
    ];
    const got = answers(await raw(server.url, [stream.join("")]));
    expect(got.map((a) => a.status)).toEqual([200, 200, 401, 200, 200, ...many.map(() => 200), 401, 200, 200]);
    const value = (a: RawAnswer) => JSON.parse(a.body).results[0].response.result.rows[0][0].value;
    expect([got[0]!, got[1]!, got[3]!, got[4]!, got[306]!].map(value)).toEqual(["1", "1", "1", "123456", "7"]);
  });

  it("reads chunked bodies (with extensions and trailers) and answers Expect: 100-continue first", async () => {
    const server = await startTestServer();
    const body = pipelineBody("SELECT 42 AS answer");
    const chunked =
      "POST /v2/pipeline HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\nexpect: 100-continue\r\n\r\n" +
      `5;name=value\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n` +
      "0\r\nx-trailer: 1\r\n\r\n";
    const got = answers(await raw(server.url, [chunked, close]));
    expect(got.map((a) => a.status)).toEqual([100, 200, 200]);
    expect(JSON.parse(got[1]!.body).results[0].response.result.rows).toEqual([[{ type: "integer", value: "42" }]]);
  });

  it("answers every request a client sent before ending its side of the connection, then closes", async () => {
    const server = await startTestServer();
    await testClient(server.url).execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    // Another stream holds the write lock, so the INSERT below is still waiting when the client half-closes.
    const begun = await postJson<PipelineJson>(`${server.url}/v2/pipeline`, {
      baton: null,
      requests: [exec("BEGIN IMMEDIATE")],
    });
    const request = post("/v2/pipeline", pipelineBody("INSERT INTO t (v) VALUES ('after the lock')"));
    const answered = raw(server.url, [request, "GET /health HTTP/1.1\r\nhost: x\r\n\r\n"], true);
    // Bounded by a count: until the server has taken the INSERT (it counts statements as it starts them).
    for (let i = 0; i < 1_000 && server.stats().statements < 2; i++) await new Promise((r) => setImmediate(r));
    expect(server.stats().statements).toBe(2);
    await postJson<PipelineJson>(`${server.url}/v2/pipeline`, {
      baton: begun.body.baton,
      requests: [exec("COMMIT"), closeStream],
    });
    const got = answers(await answered);
    expect(got.map((a) => a.status)).toEqual([200, 200]);
    expect(JSON.parse(got[0]!.body).results[0].response.result.last_insert_rowid).toBe("1");
  });

  it("speaks HTTP/1.0: closes after the answer unless asked to keep alive; streams a cursor until close", async () => {
    const server = await startTestServer();
    const once = answers(await raw(server.url, ["GET /health HTTP/1.0\r\n\r\n"]));
    expect(once.map((a) => [a.status, a.headers.connection])).toEqual([[200, "close"]]);
    const kept = answers(await raw(server.url, ["GET /health HTTP/1.0\r\nconnection: keep-alive\r\n\r\n", close]));
    expect(kept.map((a) => a.status)).toEqual([200, 200]);
    const cursorBody = JSON.stringify({ baton: null, batch: { steps: [{ stmt: { sql: "SELECT 1" } }] } });
    const cursor = await raw(server.url, [
      `POST /v3/cursor HTTP/1.0\r\ncontent-length: ${cursorBody.length}\r\n\r\n${cursorBody}`,
    ]);
    const [answer] = answers(cursor);
    expect(answer!.headers["transfer-encoding"]).toBeUndefined();
    expect(
      answer!.body
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).type ?? "head"),
    ).toEqual(["head", "step_begin", "row", "step_end"]);
  });

  it("refuses what it cannot frame safely, and closes the connection after", async () => {
    const server = await startTestServer();
    const cases: [string, number][] = [
      ["NOT A REQUEST\r\n\r\n", 400],
      ["POST /v2/pipeline HTTP/1.1\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n{}", 400],
      ["POST /v2/pipeline HTTP/1.1\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}", 400],
      ["POST /v2/pipeline HTTP/1.1\r\ntransfer-encoding: gzip\r\n\r\n", 501],
      ["GET /health HTTP/1.1\r\nx: 1\r\n folded\r\n\r\n", 400],
      ["POST /v2/pipeline HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n", 400],
      [`GET /health HTTP/1.1\r\nx: ${"a".repeat(70_000)}\r\n\r\n`, 431],
    ];
    for (const [request, status] of cases) {
      const got = answers(await raw(server.url, [request]));
      expect(
        got.map((a) => [a.status, a.headers.connection]),
        request.slice(0, 60),
      ).toEqual([[status, "close"]]);
    }
  });

  it("reads an oversized body to its end before answering 413 (the request is not cut off)", async () => {
    const server = await startTestServer();
    // The limit is 64 MiB; a Content-Length beyond it with the body sent in pieces.
    const size = 64 * 1024 * 1024 + 1;
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (c: Buffer) => chunks.push(c));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write(`POST /v2/pipeline HTTP/1.1\r\nhost: x\r\ncontent-length: ${size}\r\n\r\n`);
    const piece = Buffer.alloc(1024 * 1024, 0x20);
    for (let sent = 0; sent < size; sent += piece.length) {
      socket.write(sent + piece.length <= size ? piece : piece.subarray(0, size - sent));
    }
    socket.write(close);
    await closed;
    const got = answers(Buffer.concat(chunks).toString("utf8"));
    expect(got.map((a) => a.status)).toEqual([413, 200]);
    expect(JSON.parse(got[0]!.body).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers OPTIONS with CORS and no body, HEAD without a body, and no route for Object's own keys", async () => {
    const server = await startTestServer();
    const got = answers(
      await raw(server.url, [
        "OPTIONS /v2/pipeline HTTP/1.1\r\nhost: x\r\n\r\n",
        "GET constructor HTTP/1.1\r\nhost: x\r\n\r\n",
        "toString /v2/pipeline HTTP/1.1\r\nhost: x\r\n\r\n",
        close,
      ]),
    );
    expect(got.map((a) => a.status)).toEqual([204, 404, 405, 200]);
    expect(got[0]!.headers["access-control-allow-origin"]).toBe("*");
    expect(got[0]!.headers["content-length"]).toBeUndefined();
    // A HEAD answer keeps its Content-Length but sends no body: the next answer starts right after its head.
    const head = await raw(server.url, ["HEAD /nowhere HTTP/1.1\r\nhost: x\r\n\r\n", close]);
    expect(head).toMatch(/^HTTP\/1\.1 404 [\s\S]*?content-length: [1-9]\d*\r\n\r\nHTTP\/1\.1 200 /);
  });

  it("closes a connection left idle for the idle timeout, and not one that keeps sending requests", async () => {
    // Far above the 60 ms between the busy connection's requests, so a busy machine's stall does not close it.
    const idleTimeoutMs = 1_000;
    const { server, closeAllConnections } = createHttp1Server((_req, res) => res.send(200, [], "ok"), {
      maxBodyBytes: 1024,
      idleTimeoutMs,
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => {
      closeAllConnections();
      server.close();
    });
    const { port } = server.address() as AddressInfo;
    const open = async () => {
      const socket = connect(port, "127.0.0.1");
      await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
      const conn = { socket, closedAt: undefined as number | undefined };
      socket.once("close", () => {
        conn.closedAt = performance.now();
      });
      return conn;
    };
    const opened = performance.now();
    const idle = await open();
    const busy = await open();
    let answered = 0;
    busy.socket.on("data", (c: Buffer) => {
      answered += c.toString("latin1").split("HTTP/1.1 200").length - 1;
    });
    // Bounded: 40 requests, one every 60 ms, over two idle timeouts.
    for (let i = 0; i < 40 && busy.closedAt === undefined; i++) {
      busy.socket.write("GET /x HTTP/1.1\r\nhost: x\r\n\r\n");
      await new Promise((r) => setTimeout(r, 60));
    }
    // Bounded: a further 50 polls of 100 ms for the idle one.
    for (let i = 0; i < 50 && idle.closedAt === undefined; i++) await new Promise((r) => setTimeout(r, 100));
    expect(idle.closedAt).toBeDefined();
    // Never before the timeout: a client's pool must be the one to close first.
    expect(idle.closedAt! - opened).toBeGreaterThanOrEqual(idleTimeoutMs);
    expect(busy.closedAt).toBeUndefined();
    expect(answered).toBe(40);
    busy.socket.destroy();
  });
});
