import { Agent, request } from "node:http";

/**
 * POSTs over node:http with kept-alive sockets, for load that should measure the Worker rather than the client.
 * Node's global fetch (undici: web streams, abort signals, a Response per answer) cost the bench process, which
 * also holds the libSQL server, about twice the CPU per request of plain node:http on this machine, and the two
 * share the machine's 2 cores with the Worker being measured. Loopback http only.
 */
export interface KeepAlivePoster {
  /** The answer's status, its body read and dropped; rejects on a network error. */
  post(url: URL, headers: Record<string, string>, body: string): Promise<number>;
  close(): void;
}

export function keepAlivePoster(maxSockets: number): KeepAlivePoster {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    post: (url, headers, body) =>
      new Promise((resolve, reject) => {
        const req = request(
          url,
          { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
          (res) => {
            res.on("error", reject);
            res.on("end", () => resolve(res.statusCode ?? 0));
            res.resume();
          },
        );
        req.on("error", reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
