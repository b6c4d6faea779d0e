// HTTP/1.1 on node:net, just as much of it as Hrana clients (workerd's fetch, undici, node:http, curl) use:
// keep-alive and pipelining, Content-Length or chunked request bodies, Expect: 100-continue, and answers
// with a length or chunked (the cursor's NDJSON). node:http cost about 100 µs of server CPU per request
// here, its streams and objects more than the query itself; this costs about 60. Anything outside that
// subset (other transfer codings, folded headers, both a length and chunked) is refused with a 4xx/5xx
// and the connection closed, never guessed at.

import { createServer, type Server, type Socket } from "node:net";
import { HeadCache, ProtocolError } from "./http1-head";

export interface HttpRequest {
  method: string;
  /** The request target as sent (path and query). */
  url: string;
  /** Lower-case names; a repeated header keeps its last value (none of ours may repeat). Shared by every
   * request that sent the same head, so never changed. */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  /** The body was over maxBodyBytes: it was read and dropped, `body` is empty. */
  bodyTooLarge: boolean;
}

export type HttpHandler = (req: HttpRequest, res: HttpResponse) => void;

export interface Http1Options {
  /** Larger bodies are read to their end and dropped (so the client gets to read the answer). */
  maxBodyBytes: number;
  /** Idle keep-alive connections are closed after this long (and at most a quarter longer). */
  idleTimeoutMs: number;
}

const MAX_HEAD_BYTES = 64 * 1024;
/**
 * Idle connections are found by a sweep every quarter of the idle timeout, not by a timer per socket: node
 * re-arms a socket's timer on every read and every write, two moves in its timer lists per request. A connection
 * with no read or write over more sweeps than this is closed: idle at least the timeout, at most a quarter more.
 */
const SWEEPS_PER_TIMEOUT = 4;
const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  505: "HTTP Version Not Supported",
};

/** Flat name/value pairs, lower-case names, in the order they are to be written. */
export type HeaderList = readonly (string | number)[];

// Routes answer with a few fixed header lists; their status line and header lines are put together once.
const heads = new WeakMap<HeaderList, Map<number, string>>();

function headLines(status: number, headers: HeaderList, extra: string): string {
  let byStatus = heads.get(headers);
  if (byStatus === undefined) {
    byStatus = new Map();
    heads.set(headers, byStatus);
  }
  let head = byStatus.get(status);
  if (head === undefined) {
    head = `HTTP/1.1 ${status} ${REASONS[status] ?? "Unknown"}\r\n`;
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    byStatus.set(status, head);
  }
  return `${head}${extra}\r\n`;
}

/** One answer on a connection; the next pipelined request is read once it has ended. */
export class HttpResponse {
  private state: "new" | "streaming" | "done" = "new";

  constructor(
    private readonly conn: HttpConnection,
    private readonly head: boolean,
    private readonly keepAlive: boolean,
    private readonly chunkedOk: boolean,
  ) {}

  get headersSent(): boolean {
    return this.state !== "new";
  }

  /** The whole answer at once, with its length. */
  send(status: number, headers: HeaderList, body: string | Buffer = ""): void {
    if (this.state !== "new") {
      this.end();
      return;
    }
    this.state = "done";
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    // 204 and 304 carry no body and, per RFC 9110, no Content-Length either.
    const framing = status === 204 || status === 304 ? "" : `content-length: ${length}\r\n`;
    const head = headLines(status, headers, `${framing}${this.keepAlive ? "" : "connection: close\r\n"}`);
    if (this.head || length === 0) this.conn.write(head);
    else if (typeof body === "string") this.conn.write(head + body);
    else this.conn.write(Buffer.concat([Buffer.from(head, "latin1"), body]));
    this.conn.finished(this.keepAlive);
  }

  /** Starts an answer whose length is not known yet: chunked, or (HTTP/1.0) ended by closing. */
  start(status: number, headers: HeaderList): void {
    if (this.state !== "new") return;
    this.state = "streaming";
    const framing = this.chunkedOk ? "transfer-encoding: chunked\r\n" : "connection: close\r\n";
    this.conn.write(headLines(status, headers, framing));
  }

  write(text: string): void {
    if (this.state !== "streaming" || this.head || text.length === 0) return;
    this.conn.write(this.chunkedOk ? `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n` : text);
  }

  end(): void {
    if (this.state === "done") return;
    if (this.state === "new") {
      this.send(200, []);
      return;
    }
    this.state = "done";
    if (this.chunkedOk && !this.head) this.conn.write("0\r\n\r\n");
    this.conn.finished(this.keepAlive && this.chunkedOk);
  }
}

interface Pending {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  keepAlive: boolean;
  chunkedOk: boolean;
  /** Bytes still to read of a Content-Length body; -1 while reading a chunked one. */
  remaining: number;
  /** Inside a chunked body: bytes left in the current chunk, or -1 when a size line comes next. */
  chunkLeft: number;
  trailers: boolean;
  parts: Buffer[];
  size: number;
}

/** One client connection: reads requests in order and hands each to the handler once its body is in. */
class HttpConnection {
  private buffered: Buffer | undefined;
  private pending: Pending | undefined;
  /** A request is with the handler; later (pipelined) bytes wait in `buffered`. */
  private busy = false;
  private closing = false;
  /** The client has sent its last byte (half-close); answer what it sent, then close. */
  private peerEnded = false;
  /** Idle sweeps since the last read or write. */
  private quietSweeps = 0;

  constructor(
    private readonly socket: Socket,
    private readonly handler: HttpHandler,
    private readonly opts: Http1Options,
    private readonly heads: HeadCache,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => {
      this.peerEnded = true;
      if (!this.busy) this.socket.end();
    });
    socket.on("error", () => socket.destroy());
  }

  write(data: string | Buffer): void {
    this.quietSweeps = 0;
    // The client may have gone (or half-closed) while its request ran.
    if (this.socket.writable) this.socket.write(data);
  }

  /** Called every quarter of the idle timeout; closes the connection once it has been idle for all of it. */
  sweep(): void {
    if (++this.quietSweeps > SWEEPS_PER_TIMEOUT) this.socket.destroy();
  }

  /** The current answer is complete: read the next request, or close. */
  finished(keepAlive: boolean): void {
    this.busy = false;
    if (!keepAlive || this.closing || (this.peerEnded && this.buffered === undefined)) {
      this.closing = true;
      this.socket.end();
      return;
    }
    if (this.buffered !== undefined) {
      const rest = this.buffered;
      this.buffered = undefined;
      this.onData(rest);
    }
  }

  private onData(chunk: Buffer): void {
    this.quietSweeps = 0;
    if (this.closing) return;
    const data = this.buffered === undefined ? chunk : Buffer.concat([this.buffered, chunk]);
    this.buffered = undefined;
    // Read by offset: a Buffer view per step (head, body, rest) was a typed array made and dropped each time.
    let at = 0;
    try {
      // Bounded by the bytes at hand: every turn consumes some, or stops to wait for more.
      while (at < data.length && !this.busy && !this.closing) {
        const used = this.pending === undefined ? this.readHead(data, at) : this.readBody(this.pending, data, at);
        if (used === 0) break;
        at += used;
      }
    } catch (e) {
      this.fail(e instanceof ProtocolError ? e : new ProtocolError(400, "Malformed request"));
      return;
    }
    if (at < data.length) this.buffered = at === 0 ? data : data.subarray(at);
    // Only an unfinished head can pile up here while no request is being answered (pipelined bytes wait).
    if (
      !this.busy &&
      this.pending === undefined &&
      this.buffered !== undefined &&
      this.buffered.length > MAX_HEAD_BYTES
    ) {
      this.fail(new ProtocolError(431, "Request head too large"));
    }
  }

  /** Parses the request head at `from`; returns the bytes used, 0 while it is incomplete. */
  private readHead(data: Buffer, from: number): number {
    // Empty lines before a request line are allowed (RFC 9112 §2.2).
    let start = from;
    while (data[start] === 0x0d && data[start + 1] === 0x0a) start += 2;
    const end = data.indexOf(HEAD_END, start);
    if (end < 0) return start - from;
    if (end - start > MAX_HEAD_BYTES) throw new ProtocolError(431, "Request head too large");
    const head = this.heads.parse(data.toString("latin1", start, end));
    if (head.expectContinue) this.write("HTTP/1.1 100 Continue\r\n\r\n");
    const used = end + HEAD_END.length - from;
    // The usual request: its whole body came with its head. Handed on as one view, with no reading state.
    if (head.length > 0 && data.length - (from + used) >= head.length) {
      const bodyAt = from + used;
      const body = data.subarray(bodyAt, bodyAt + head.length);
      this.dispatch(head.method, head.url, head.headers, head.keepAlive, head.chunkedOk, body, head.length);
      return used + head.length;
    }
    this.pending = {
      method: head.method,
      url: head.url,
      headers: head.headers,
      keepAlive: head.keepAlive,
      chunkedOk: head.chunkedOk,
      remaining: head.length,
      chunkLeft: -1,
      trailers: false,
      parts: [],
      size: 0,
    };
    if (head.length === 0) this.dispatchPending(this.pending);
    return used;
  }

  /** Takes body bytes at `from`; returns the bytes used, 0 while a chunk-size line is incomplete. */
  private readBody(p: Pending, data: Buffer, from: number): number {
    const available = data.length - from;
    if (p.remaining >= 0) {
      const take = Math.min(p.remaining, available);
      this.keep(p, data.subarray(from, from + take));
      p.remaining -= take;
      if (p.remaining === 0) this.dispatchPending(p);
      return take;
    }
    if (p.chunkLeft > 0) {
      const take = Math.min(p.chunkLeft, available);
      this.keep(p, data.subarray(from, from + take));
      p.chunkLeft -= take;
      return take;
    }
    // A size line, the CRLF after a chunk's data, or a trailer line: one line at a time.
    const eolAt = data.indexOf(CRLF, from);
    if (eolAt < 0) {
      if (available > MAX_HEAD_BYTES) throw new ProtocolError(400, "Chunk line too long");
      return 0;
    }
    const eol = eolAt - from;
    const line = data.toString("latin1", from, eolAt);
    if (p.trailers) {
      if (line === "") this.dispatchPending(p);
      return eol + 2;
    }
    if (p.chunkLeft === 0) {
      if (line !== "") throw new ProtocolError(400, "Missing CRLF after chunk data");
      p.chunkLeft = -1;
      return eol + 2;
    }
    const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
    if (size === null) throw new ProtocolError(400, "Invalid chunk size");
    const n = Number.parseInt(size[1]!, 16);
    if (n === 0) p.trailers = true;
    else p.chunkLeft = n;
    return eol + 2;
  }

  /** Keeps body bytes up to the limit; beyond it they are counted and dropped. */
  private keep(p: Pending, bytes: Buffer): void {
    p.size += bytes.length;
    if (p.size <= this.opts.maxBodyBytes) p.parts.push(bytes);
  }

  private dispatchPending(p: Pending): void {
    const body = p.parts.length === 1 ? p.parts[0]! : Buffer.concat(p.parts);
    this.dispatch(p.method, p.url, p.headers, p.keepAlive, p.chunkedOk, body, p.size);
  }

  /** Hands a complete request to the handler; `size` is the body's length as sent, kept or not. */
  private dispatch(
    method: string,
    url: string,
    headers: Readonly<Record<string, string>>,
    keepAlive: boolean,
    chunkedOk: boolean,
    body: Buffer,
    size: number,
  ): void {
    this.pending = undefined;
    this.busy = true;
    const res = new HttpResponse(this, method === "HEAD", keepAlive, chunkedOk);
    const bodyTooLarge = size > this.opts.maxBodyBytes;
    this.handler({ method, url, headers, body: bodyTooLarge ? Buffer.alloc(0) : body, bodyTooLarge }, res);
  }

  /** Answers a request that could not be read and closes: its end, and so the next request's start, is unknown. */
  private fail(e: ProtocolError): void {
    this.pending = undefined;
    this.buffered = undefined;
    if (this.busy) {
      // An answer is still being produced for an earlier request; just stop reading.
      this.closing = true;
      return;
    }
    this.busy = true;
    const body = JSON.stringify({ error: e.message, message: e.message, code: "BAD_HTTP_REQUEST" });
    new HttpResponse(this, false, false, true).send(e.status, ["content-type", "application/json"], body);
  }
}

export interface Http1Server {
  server: Server;
  /** Closes every client connection at once (keep-alive ones would hold close() open). */
  closeAllConnections(): void;
}

export function createHttp1Server(handler: HttpHandler, opts: Http1Options): Http1Server {
  const connections = new Map<Socket, HttpConnection>();
  const heads = new HeadCache();
  // Half-open allowed: a client may send its request and then end its side, and still read the answer.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    connections.set(socket, new HttpConnection(socket, handler, opts, heads));
    socket.on("close", () => connections.delete(socket));
  });
  const sweeper = setInterval(() => {
    for (const connection of connections.values()) connection.sweep();
  }, opts.idleTimeoutMs / SWEEPS_PER_TIMEOUT);
  sweeper.unref();
  server.on("close", () => clearInterval(sweeper));
  return {
    server,
    closeAllConnections() {
      for (const socket of connections.keys()) socket.destroy();
      connections.clear();
    },
  };
}
