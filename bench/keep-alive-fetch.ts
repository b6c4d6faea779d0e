import { Agent, request as httpRequest } from "node:http";

/**
 * A `fetch` for @libsql/client (its documented `fetch` option) over node:http with kept-alive sockets.
 * Node's global fetch (undici) spent about 1.2 ms of CPU per Hrana request on this machine (web streams,
 * abort signals, a body tee), twice what this does, so a bench that drove the local server through it
 * measured Node's fetch rather than the server. Plain http: only the local server is ever its target.
 */
export type KeepAliveFetch = ((input: Request) => Promise<Response>) & { close(): void };

/**
 * The answer, already read, handed over as what hrana-client uses of a Response (ok, status, headers,
 * json, text, arrayBuffer). Building a real Response and reading it back through a web stream cost the
 * bench's client about a sixth of its CPU per request; a real one is still made if `body` is asked for.
 */
class ReadResponse {
  readonly ok: boolean;
  readonly bodyUsed = false;
  private real: Response | undefined;

  constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly bytes: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  get body(): ReadableStream<Uint8Array> | null {
    this.real ??= new Response(new Uint8Array(this.bytes), { status: this.status, headers: this.headers });
    return this.real.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString("utf8"));
  }

  async text(): Promise<string> {
    return this.bytes.toString("utf8");
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes.buffer.slice(this.bytes.byteOffset, this.bytes.byteOffset + this.bytes.length) as ArrayBuffer;
  }
}

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
          const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
          resolve(new ReadResponse(res.statusCode ?? 500, answer, bytes) as unknown as Response);
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  };
  return Object.assign(fetch, { close: () => agent.destroy() });
}
