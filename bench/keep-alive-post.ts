import { Agent, request } from "node:http";
import type { Cleanup } from "./cleanup";

/**
 * POSTs over node:http with kept-alive sockets, for load that should measure the Worker rather than the client.
 * Node's global fetch (undici: web streams, abort signals, a Response per answer) cost the bench process, which
 * also holds the libSQL server, about twice the CPU per request of plain node:http on this machine, and the two
 * share the machine's 2 cores with the Worker being measured. Loopback http only.
 */
export interface KeepAlivePoster {
  /** The answer's status and body; rejects on a network error. */
  post(url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }>;
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
            let answer = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => {
              answer += chunk;
            });
            res.on("error", reject);
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: answer }));
          },
        );
        req.on("error", reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

/** keepAlivePoster for one scenario: closed by the scenario when done, or by the bench's cleanup if it throws first. */
export function scenarioPoster(cleanup: Cleanup, maxSockets: number): KeepAlivePoster {
  const poster = keepAlivePoster(maxSockets);
  const forget = cleanup.add("kept-alive load client", () => poster.close());
  return {
    post: poster.post,
    close() {
      forget();
      poster.close();
    },
  };
}
