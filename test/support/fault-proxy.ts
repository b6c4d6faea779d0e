import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";

/**
 * A TCP proxy in front of the test libSQL server whose behaviour tests switch over HTTP, so the Worker
 * (inside workerd) can meet a database that is down and then comes back, on the same URL:
 * - `up`: bytes pass through;
 * - `down`: every connection, open or new, is cut (the Worker sees "Network connection lost");
 * - `drop-response`: every request reaches libSQL (a batch commits) but its answer is cut off;
 * - `drop-write-response`: the same, only for requests that write (hold an INSERT): reads still answer,
 *   so a capture gets past its routing read and loses the answer of its write batch;
 * - `refuse-writes`: a request that writes (holds an INSERT) is cut before it reaches libSQL (nothing commits);
 *   reads pass.
 * Control: `POST <controlUrl>/mode/<mode>`.
 */
export type FaultMode = "up" | "down" | "drop-response" | "drop-write-response" | "refuse-writes";

export interface FaultProxy {
  url: string;
  controlUrl: string;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  let mode: FaultMode = "up";
  const sockets = new Set<Socket>();

  const proxy = createServer((client) => {
    if (mode === "down") {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    // Whether the request in flight on this connection writes (keep-alive: reset by each answer).
    let writes = false;
    client.on("data", (chunk: Buffer) => {
      if (chunk.includes("INSERT")) writes = true;
      if (mode === "refuse-writes" && writes) return drop();
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (mode === "down" || mode === "drop-response" || (mode === "drop-write-response" && writes)) return drop();
      writes = false;
      client.write(chunk);
    });
  });

  const control = createHttpServer((req, res) => {
    const m = /^\/mode\/(up|down|drop-response|drop-write-response|refuse-writes)$/.exec(req.url ?? "");
    if (req.method !== "POST" || !m) {
      res.writeHead(404).end();
      return;
    }
    mode = m[1] as FaultMode;
    // Keep-alive connections opened while up must not outlive a switch to down.
    if (mode === "down") for (const s of sockets) s.destroy();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ mode }));
  });

  const listen = (server: {
    listen: (port: number, host: string, cb: () => void) => unknown;
    address: () => unknown;
  }) =>
    new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
    );
  const proxyPort = await listen(proxy);
  const controlPort = await listen(control);

  return {
    url: `http://127.0.0.1:${proxyPort}`,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    async close() {
      for (const s of sockets) s.destroy();
      control.closeAllConnections();
      await Promise.all([new Promise((r) => proxy.close(r)), new Promise((r) => control.close(r))]);
    },
  };
}
