import { Agent, request as httpRequest } from "node:http";

/**
 * A `fetch` for @libsql/client (its documented `fetch` option) over node:http with kept-alive sockets.
 * Node's global fetch (undici) spent about 1.2 ms of CPU per Hrana request on this machine (web streams,
 * abort signals, a body tee), twice what this does, so a bench that drove the local server through it
 * measured Node's fetch rather than the server. Plain http: only the local server is ever its target.
 */
export type KeepAliveFetch = ((input: Request) => Promise<Response>) & { close(): void };

export function keepAliveFetch(maxSockets: number): KeepAliveFetch {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const fetch = async (input: Request): Promise<Response> => {
    const body = Buffer.from(await input.arrayBuffer());
    const headers: Record<string, string> = { "content-length": String(body.length) };
    input.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return new Promise((resolve, reject) => {
      const req = httpRequest(input.url, { method: input.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === "string") answer.set(name, value);
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: answer }));
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  };
  return Object.assign(fetch, { close: () => agent.destroy() });
}
