// The bench's node:net fetch (bench/keep-alive-fetch.ts) against servers that are not ours: node:http for the
// ordinary framings, a raw node:net server for the ones node:http does not produce (close-delimited, 1xx,
// malformed), and @libsql/client through it against the local libSQL server.

import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { createClient } from "@libsql/client/web";
import { afterEach, describe, expect, it } from "vitest";
import { type KeepAliveFetch, keepAliveFetch } from "../../bench/keep-alive-fetch";
import { startTestServer } from "../support/node/libsql-server";

const stops: (() => unknown)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function fetchWith(maxSockets: number): KeepAliveFetch {
  const fetch = keepAliveFetch(maxSockets);
  stops.push(() => fetch.close());
  return fetch;
}

async function listen(server: Server | NetServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A node:http server that counts the connections it accepted. */
async function httpServer(
  handle: (req: IncomingMessage, body: Buffer, res: import("node:http").ServerResponse) => void,
): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server = createHttpServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => handle(req, Buffer.concat(parts), res));
  });
  server.on("connection", () => connections++);
  stops.push(() => server.closeAllConnections());
  return { url: await listen(server), connections: () => connections };
}

/** A node:net server answering each connection's first request with `answer` (written in `parts`). */
async function rawServer(answer: string[], thenClose: boolean): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once("data", async () => {
      for (const part of answer) {
        socket.write(part);
        await new Promise((r) => setImmediate(r));
      }
      if (thenClose) socket.end();
    });
  });
  stops.push(() => {
    for (const socket of sockets) socket.destroy();
  });
  return listen(server);
}

describe("keepAliveFetch", () => {
  it("sends the method, target, headers and body as given, and answers with a real Response", async () => {
    const { url } = await httpServer((req, body, res) => {
      res.writeHead(201, "Made", { "content-type": "application/json", "x-seen": `${req.method} ${req.url}` });
      res.end(JSON.stringify({ body: body.toString("utf8"), auth: req.headers.authorization ?? null }));
    });
    const fetch = fetchWith(2);
    const res = await fetch(
      new Request(`${url}/v3/pipeline?x=1`, {
        method: "POST",
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: "héllo",
      }),
    );
    expect(res).toBeInstanceOf(Response);
    expect([res.status, res.statusText, res.ok, res.url]).toEqual([201, "Made", true, `${url}/v3/pipeline?x=1`]);
    expect(res.headers.get("x-seen")).toBe("POST /v3/pipeline?x=1");
    expect(res.headers.get("content-type")).toBe("application/json");
    const copy = res.clone();
    expect(await res.json()).toEqual({ body: "héllo", auth: "Bearer t" });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
    expect(JSON.parse(await new Response(copy.body).text())).toEqual({ body: "héllo", auth: "Bearer t" });
  });

  it("keeps connections alive: one for requests in turn, never more than maxSockets at once", async () => {
    const { url, connections } = await httpServer((_req, body, res) => res.end(body));
    const fetch = fetchWith(2);
    for (let i = 0; i < 10; i++) {
      const res = await fetch(new Request(url, { method: "POST", body: `n${i}` }));
      expect(await res.text()).toBe(`n${i}`);
    }
    expect(connections()).toBe(1);
    const texts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(new Request(url, { method: "POST", body: `c${i}` })).then((r) => r.text()),
      ),
    );
    expect(texts).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`));
    expect(connections()).toBe(2);
  });

  it("reads chunked answers, and answers without a body to HEAD and 204", async () => {
    const { url } = await httpServer((req, _body, res) => {
      if (req.url === "/none") {
        res.writeHead(204).end();
        return;
      }
      res.setHeader("content-type", "text/plain");
      if (req.method === "HEAD") res.setHeader("content-length", "11");
      res.write("hello ");
      res.end("world");
    });
    const fetch = fetchWith(1);
    const chunked = await fetch(new Request(`${url}/`));
    expect(chunked.headers.get("transfer-encoding")).toBe("chunked");
    expect(await chunked.text()).toBe("hello world");
    const head = await fetch(new Request(`${url}/`, { method: "HEAD" }));
    expect([head.status, await head.text()]).toEqual([200, ""]);
    const none = await fetch(new Request(`${url}/none`));
    expect([none.status, await none.text()]).toEqual([204, ""]);
    // The same connection carried all three: each answer ended where its framing said.
    expect(await (await fetch(new Request(`${url}/`))).text()).toBe("hello world");
  });

  it("skips interim 1xx answers and reads a body that ends with the connection", async () => {
    const url = await rawServer(
      ["HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil ", "the end"],
      true,
    );
    const fetch = fetchWith(1);
    const res = await fetch(new Request(url, { method: "POST", body: "x" }));
    expect([res.status, await res.text()]).toEqual([200, "until the end"]);
    // The server closed that connection; the next request gets a new one and the same answer.
    expect(await (await fetch(new Request(url, { method: "POST", body: "x" }))).text()).toBe("until the end");
  });

  it("opens a new connection after an answer with connection: close", async () => {
    let n = 0;
    const { url, connections } = await httpServer((_req, _body, res) => {
      n++;
      if (n === 1) res.setHeader("connection", "close");
      res.end(String(n));
    });
    const fetch = fetchWith(1);
    expect(await (await fetch(new Request(url))).text()).toBe("1");
    expect(await (await fetch(new Request(url))).text()).toBe("2");
    expect(await (await fetch(new Request(url))).text()).toBe("3");
    expect(connections()).toBe(2);
  });

  it("lets go of a kept-alive connection the server closed while it was idle", async () => {
    let served = 0;
    let closedBy: () => void = () => undefined;
    const server = createNetServer((socket) => {
      socket.once("data", () => {
        served++;
        // A keep-alive answer, then the server closes the idle connection (as an idle timeout would).
        socket.end(`HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n${served}`);
      });
      socket.once("close", () => closedBy());
    });
    const url = await listen(server);
    const fetch = fetchWith(1);
    const closed = new Promise<void>((resolve) => {
      closedBy = resolve;
    });
    expect(await (await fetch(new Request(url))).text()).toBe("1");
    // The server's side closes only after the client's has seen the end and closed too.
    await closed;
    expect(await (await fetch(new Request(url))).text()).toBe("2");
  });

  it("fails with a TypeError, not a hang, on a refused connection or a malformed answer", async () => {
    const refused = await listen(createNetServer());
    stops.pop()?.();
    const fetch = fetchWith(1);
    await expect(fetch(new Request(refused))).rejects.toThrow(TypeError);
    const garbled = await rawServer(["HTTP/1.1 200 OK\r\ncontent-length: 2\r\n content-type: x\r\n\r\nok"], false);
    await expect(fetch(new Request(garbled))).rejects.toThrow(TypeError);
    const cut = await rawServer(["HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort"], true);
    await expect(fetch(new Request(cut))).rejects.toThrow(TypeError);
  });

  it("stops a request when its signal aborts, before it was sent or while its answer is awaited", async () => {
    let received: () => void = () => undefined;
    const sockets: Socket[] = [];
    const server = createNetServer((socket) => {
      sockets.push(socket);
      socket.on("data", () => received());
    });
    stops.push(() => {
      for (const socket of sockets) socket.destroy();
    });
    const url = await listen(server);
    const fetch = fetchWith(1);
    const early = new AbortController();
    const before = fetch(new Request(url, { signal: early.signal }));
    early.abort();
    await expect(before).rejects.toThrow(/abort/i);

    const late = new AbortController();
    const arrived = new Promise<void>((resolve) => {
      received = resolve;
    });
    const during = fetch(new Request(url, { signal: late.signal }));
    await arrived;
    late.abort();
    await expect(during).rejects.toThrow(/abort/i);
  });

  it("carries @libsql/client against the local libSQL server, each INSERT with its own rowid", async () => {
    const server = await startTestServer();
    stops.push(() => server.close());
    const fetch = fetchWith(4);
    const client = createClient({ url: server.url, intMode: "number", fetch });
    stops.push(() => client.close());
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: [`v${i}`] })),
    );
    expect(new Set(results.map((r) => Number(r.lastInsertRowid))).size).toBe(20);
    const rows = await client.execute("SELECT count(*) AS n FROM t");
    expect(rows.rows[0]?.n).toBe(20);
  });
});
