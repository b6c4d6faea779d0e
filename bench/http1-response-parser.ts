// Reads one HTTP/1.1 answer off a client connection, whatever framing the server chose: Content-Length,
// chunked, or (no length, no chunking) the connection's end; 1xx interim answers are skipped. What it does not
// understand (folded header lines, both a length and chunked, another transfer coding) fails the answer
// rather than being guessed at: the connection is then closed, never reused.

export interface ParsedAnswer {
  status: number;
  statusText: string;
  /** Lower-case names with their values, in the order received (repeated names repeat). */
  headers: [string, string][];
  body: Buffer;
  /** The server keeps the connection open for the next request. */
  keepAlive: boolean;
}

const HEAD_END = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");
const MAX_HEAD_BYTES = 64 * 1024;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: (.*))?$/;

export class AnswerError extends Error {}

interface Head {
  status: number;
  statusText: string;
  headers: [string, string][];
  keepAlive: boolean;
  /** Body bytes still expected; -1: chunked; -2: until the connection ends. */
  remaining: number;
}

/**
 * Fed the bytes of one connection in order; `push` returns the answer once it is complete (any bytes after it
 * are a protocol error: nothing was asked for them), `end` when the server closed its side.
 */
export class Http1ResponseParser {
  private pending: Buffer | undefined;
  private head: Head | undefined;
  private parts: Buffer[] = [];
  /** In a chunked body: bytes left of the current chunk; -1 when a size line comes next. */
  private chunkLeft = -1;
  private trailers = false;

  /** `noBody`: the request was HEAD, whose answer has headers only. */
  constructor(private readonly noBody: boolean) {}

  push(chunk: Buffer): ParsedAnswer | undefined {
    let data = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    // Bounded by the bytes at hand: every turn consumes some, or stops to wait for more.
    while (data.length > 0) {
      if (this.head === undefined) {
        const used = this.readHead(data);
        if (used === 0) break;
        data = data.subarray(used);
        if (this.head !== undefined && (this.head as Head).remaining === 0) return this.finish(data);
        continue;
      }
      const used = this.readBody(this.head, data);
      if (used < 0) return this.finish(data.subarray(-used - 1));
      if (used === 0) break;
      data = data.subarray(used);
    }
    if (data.length > 0) this.pending = data;
    if (this.head === undefined && (this.pending?.length ?? 0) > MAX_HEAD_BYTES) {
      throw new AnswerError("Answer head too large");
    }
    return undefined;
  }

  /** The server closed the connection: a body delimited by its end is complete, anything else is cut short. */
  end(): ParsedAnswer {
    if (this.head?.remaining === -2) {
      this.head.keepAlive = false;
      return this.finish(Buffer.alloc(0));
    }
    throw new AnswerError("Connection closed before the answer was complete");
  }

  private finish(rest: Buffer): ParsedAnswer {
    if (rest.length > 0) throw new AnswerError("Bytes after the answer");
    const head = this.head!;
    const body = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    return { status: head.status, statusText: head.statusText, headers: head.headers, body, keepAlive: head.keepAlive };
  }

  /** Returns the bytes used, 0 while the head is incomplete. */
  private readHead(data: Buffer): number {
    const end = data.indexOf(HEAD_END);
    if (end < 0) return 0;
    const lines = data.toString("latin1", 0, end).split("\r\n");
    const statusLine = STATUS_LINE.exec(lines[0]!);
    if (statusLine === null) throw new AnswerError("Malformed status line");
    const status = Number(statusLine[2]);
    const headers: [string, string][] = [];
    let length: string | undefined;
    let coding: string | undefined;
    let connection = "";
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(":");
      if (colon <= 0 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
        throw new AnswerError("Malformed header line");
      }
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.push([name, value]);
      if (name === "content-length") {
        if (length !== undefined && length !== value) throw new AnswerError("Conflicting Content-Length headers");
        length = value;
      } else if (name === "transfer-encoding") coding = value.toLowerCase();
      else if (name === "connection") connection += `,${value.toLowerCase()}`;
    }
    const used = end + HEAD_END.length;
    // Interim answers (100 Continue, 103 Early Hints) come before the real one and have no body.
    if (status >= 100 && status < 200) return used;
    const http10 = statusLine[1] === "0";
    const keepAlive = http10 ? /\bkeep-alive\b/.test(connection) : !/\bclose\b/.test(connection);
    let remaining: number;
    if (this.noBody || status === 204 || status === 304) remaining = 0;
    else if (coding !== undefined) {
      if (length !== undefined) throw new AnswerError("Both Content-Length and Transfer-Encoding");
      if (coding !== "chunked") throw new AnswerError(`Transfer-Encoding ${coding} is not supported`);
      remaining = -1;
    } else if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) throw new AnswerError("Invalid Content-Length");
      remaining = Number(length);
    } else remaining = -2;
    this.head = {
      status,
      statusText: statusLine[3] ?? "",
      headers,
      keepAlive: keepAlive && remaining !== -2,
      remaining,
    };
    return used;
  }

  /**
   * Takes body bytes: returns the bytes used, 0 while a chunk line is incomplete, or -(used + 1) when the
   * body ended after `used` bytes.
   */
  private readBody(head: Head, data: Buffer): number {
    if (head.remaining === -2) {
      this.parts.push(data);
      return data.length;
    }
    if (head.remaining >= 0) {
      const take = Math.min(head.remaining, data.length);
      this.parts.push(take === data.length ? data : data.subarray(0, take));
      head.remaining -= take;
      return head.remaining === 0 ? -(take + 1) : take;
    }
    if (this.chunkLeft > 0) {
      const take = Math.min(this.chunkLeft, data.length);
      this.parts.push(data.subarray(0, take));
      this.chunkLeft -= take;
      return take;
    }
    // A size line, the CRLF after a chunk's data, or a trailer line: one line at a time.
    const eol = data.indexOf(CRLF);
    if (eol < 0) {
      if (data.length > MAX_HEAD_BYTES) throw new AnswerError("Chunk line too long");
      return 0;
    }
    const line = data.toString("latin1", 0, eol);
    if (this.trailers) return line === "" ? -(eol + 2 + 1) : eol + 2;
    if (this.chunkLeft === 0) {
      if (line !== "") throw new AnswerError("Missing CRLF after chunk data");
      this.chunkLeft = -1;
      return eol + 2;
    }
    const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
    if (size === null) throw new AnswerError("Invalid chunk size");
    const n = Number.parseInt(size[1]!, 16);
    if (n === 0) this.trailers = true;
    else this.chunkLeft = n;
    return eol + 2;
  }
}
