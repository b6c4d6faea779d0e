import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, toProtoError } from "./errors";
import { handleCursor, handlePipeline } from "./pipeline";
import { decodeCursorBody, decodePipelineBody } from "./protocol";
import type { Stats } from "./stats";
import type { StreamRegistry } from "./stream";

export interface HttpDeps {
  registry: StreamRegistry;
  stats: Stats;
  authToken: string | undefined;
  log: (line: string) => void;
  maxBodyBytes: number;
}

// hrana-client only parses an error body when the content type is exactly "application/json" (no
// charset), and then only if it has `message`; `error` is the sqld HTTP API's field, kept for humans.
const JSON_TYPE = "application/json";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "authorization, content-type",
};

function send(res: ServerResponse, status: number, body: string, contentType: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  // Encoded once: byteLength and end(string) would each encode the whole body.
  const bytes = Buffer.from(body, "utf8");
  res.writeHead(status, { ...CORS, "content-type": contentType, "content-length": bytes.length });
  res.end(bytes);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), JSON_TYPE);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: message, message, code });
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/** Constant-time: hashing first makes both sides the same length, so length leaks nothing either. */
function authorized(req: IncomingMessage, expected: Buffer | undefined): boolean {
  if (expected === undefined) return true;
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  return timingSafeEqual(digest(match?.[1]?.trim() ?? ""), expected) && match !== null;
}

function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Oversized bodies are drained rather than cut off, so the client still gets to read the 413.
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("error", reject);
    req.on("end", () => {
      if (size > limit) {
        reject(new HttpError(413, "PAYLOAD_TOO_LARGE", `Request body exceeds ${limit} bytes`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        reject(new HttpError(400, "INVALID_JSON", "Request body is not valid JSON"));
      }
    });
  });
}

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export function createRequestHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const expectedToken = deps.authToken === undefined ? undefined : digest(deps.authToken);

  const requireAuth = (req: IncomingMessage): void => {
    if (!authorized(req, expectedToken)) throw new HttpError(401, "UNAUTHORIZED", "Missing or invalid bearer token");
  };

  const ok: Route = (_req, res) => send(res, 200, "", "text/plain");

  const pipeline: Route = async (req, res) => {
    requireAuth(req);
    const body = decodePipelineBody(await readBody(req, deps.maxBodyBytes));
    deps.stats.pipelineRequests++;
    sendJson(res, 200, await handlePipeline(deps.registry, body));
  };

  const cursor: Route = async (req, res) => {
    requireAuth(req);
    const body = decodeCursorBody(await readBody(req, deps.maxBodyBytes));
    deps.stats.cursorRequests++;
    try {
      await handleCursor(deps.registry, body, (line) => {
        if (!res.headersSent) res.writeHead(200, { ...CORS, "content-type": "application/x-ndjson" });
        res.write(`${line}\n`);
      });
    } catch (e) {
      // Once the first line is out the status is fixed; the spec's `error` entry reports the rest.
      if (!res.headersSent) throw e;
      res.write(`${JSON.stringify({ type: "error", error: toProtoError(e) })}\n`);
    }
    res.end();
  };

  const routes: Record<string, Partial<Record<string, Route>>> = {
    "/": { GET: ok },
    "/health": { GET: ok },
    "/version": { GET: (_req, res) => send(res, 200, "leadrelay-libsql-dev", "text/plain") },
    "/v2": { GET: ok },
    "/v3": { GET: ok },
    "/v2/pipeline": { POST: pipeline },
    "/v3/pipeline": { POST: pipeline },
    "/v3/cursor": { POST: cursor },
    "/_stats": { GET: (_req, res) => sendJson(res, 200, deps.stats.snapshot()) },
    "/_stats/reset": {
      POST: (_req, res) => {
        deps.stats.reset();
        sendJson(res, 200, deps.stats.snapshot());
      },
    },
  };

  return (req, res) => {
    // A client that hangs up mid-cursor must not turn into an unhandled 'error' event.
    res.on("error", () => {});
    const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
    const methods = routes[path];
    if (req.method === "OPTIONS" && methods) {
      res.writeHead(204, CORS).end();
      return;
    }
    const route = methods?.[req.method ?? "GET"];
    if (route === undefined) {
      // Unknown paths include /v3-protobuf: answering 404 there makes hrana-client fall back to JSON.
      if (methods) sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${path}`);
      else sendError(res, 404, "NOT_FOUND", `No route for ${req.method} ${path}`);
      return;
    }
    Promise.resolve()
      .then(() => route(req, res))
      .catch((e: unknown) => {
        if (e instanceof HttpError) {
          sendError(res, e.status, e.code, e.message);
          return;
        }
        deps.log(`internal error on ${req.method} ${path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        const { message, code } = toProtoError(e);
        sendError(res, 500, code, message);
      });
  };
}
