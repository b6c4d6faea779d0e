// Request heads for the HTTP/1.1 server (http1.ts): parsed once per distinct text. A client sends the same
// head again and again (only Content-Length moves with the body), and splitting, matching and lower-casing
// it cost about a twelfth of the server's CPU per Hrana request; a lookup by the head's text costs a hash.

/** A request that cannot be read: answered with `status` and the connection closed. */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a request head says, shared by every request that sent the same text: never changed. */
export interface RequestHead {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly keepAlive: boolean;
  /** HTTP/1.1: the answer may be chunked, and 100-continue is honoured. */
  readonly chunkedOk: boolean;
  /** Body bytes by Content-Length, 0 for none, -1 for a chunked body. */
  readonly length: number;
  readonly expectContinue: boolean;
}

// Enough for every client of a dev server and the body sizes they send; a caller that varies its heads
// more than that empties the cache now and then instead of growing it.
const HEAD_CACHE_LIMIT = 256;

export class HeadCache {
  private readonly heads = new Map<string, RequestHead>();

  /** The head's text from the request line to the last header line (no final CRLF). Throws ProtocolError. */
  parse(text: string): RequestHead {
    const known = this.heads.get(text);
    if (known !== undefined) return known;
    const head = parseHead(text);
    if (this.heads.size >= HEAD_CACHE_LIMIT) this.heads.clear();
    this.heads.set(text, head);
    return head;
  }
}

function parseHead(text: string): RequestHead {
  const lines = text.split("\r\n");
  const requestLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]!);
  if (requestLine === null) throw new ProtocolError(400, "Malformed request line");
  const [, method, url, minor] = requestLine as unknown as [string, string, string, string];
  // No prototype: a header named __proto__ is just a header.
  const headers: Record<string, string> = Object.create(null);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    // No name, or a folded continuation line (obsolete, and a smuggling vector).
    if (colon <= 0 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
      throw new ProtocolError(400, "Malformed header line");
    }
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-length" && headers[name] !== undefined && headers[name] !== value) {
      throw new ProtocolError(400, "Conflicting Content-Length headers");
    }
    headers[name] = value;
  }

  const http10 = minor === "0";
  const connection = (headers.connection ?? "").toLowerCase();
  const keepAlive = http10 ? /\bkeep-alive\b/.test(connection) : !/\bclose\b/.test(connection);
  const te = headers["transfer-encoding"];
  const cl = headers["content-length"];
  let length = 0;
  if (te !== undefined) {
    if (cl !== undefined) throw new ProtocolError(400, "Both Content-Length and Transfer-Encoding");
    if (te.toLowerCase() !== "chunked") throw new ProtocolError(501, `Transfer-Encoding ${te} is not supported`);
    length = -1;
  } else if (cl !== undefined) {
    if (!/^\d{1,15}$/.test(cl)) throw new ProtocolError(400, "Invalid Content-Length");
    length = Number(cl);
  }
  return {
    method,
    url,
    headers: Object.freeze(headers),
    keepAlive,
    chunkedOk: !http10,
    length,
    expectContinue: (headers.expect ?? "").toLowerCase() === "100-continue" && !http10,
  };
}
