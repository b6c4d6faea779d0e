import { createHash, timingSafeEqual } from "node:crypto";
import { HttpError, toProtoError } from "./errors";
import type { HeaderList, HttpHandler, HttpRequest, HttpResponse } from "./http1";
import { handleCursor, handlePipeline } from "./pipeline";
import { pipelineJson } from "./pipeline-json";
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

const CORS: HeaderList = [
  "access-control-allow-origin",
  "*",
  "access-control-allow-methods",
  "GET, POST, OPTIONS",
  "access-control-allow-headers",
  "authorization, content-type",
];
const JSON_HEADERS: HeaderList = [...CORS, "content-type", JSON_TYPE];
const TEXT_HEADERS: HeaderList = [...CORS, "content-type", "text/plain"];
const NDJSON_HEADERS: HeaderList = [...CORS, "content-type", "application/x-ndjson"];

function sendJson(res: HttpResponse, status: number, value: unknown): void {
  res.send(status, JSON_HEADERS, JSON.stringify(value));
}

function sendError(res: HttpResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: message, message, code });
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

function bearerToken(req: HttpRequest): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  return /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
}

/** Constant-time: hashing first makes both sides the same length, so length leaks nothing either. */
function authorized(token: string | undefined, expected: Buffer | undefined): boolean {
  if (expected === undefined) return true;
  return timingSafeEqual(digest(token ?? ""), expected) && token !== undefined;
}

function readBody(req: HttpRequest, limit: number): unknown {
  if (req.bodyTooLarge) throw new HttpError(413, "PAYLOAD_TOO_LARGE", `Request body exceeds ${limit} bytes`);
  try {
    return JSON.parse(req.body.toString("utf8"));
  } catch {
    throw new HttpError(400, "INVALID_JSON", "Request body is not valid JSON");
  }
}

type Route = (req: HttpRequest, res: HttpResponse) => Promise<void> | void;

export function createRequestHandler(deps: HttpDeps): HttpHandler {
  const expectedToken = deps.authToken === undefined ? undefined : digest(deps.authToken);

  const requireAuth = (req: HttpRequest): string | undefined => {
    const token = bearerToken(req);
    if (!authorized(token, expectedToken)) throw new HttpError(401, "UNAUTHORIZED", "Missing or invalid bearer token");
    return token;
  };

  const ok: Route = (_req, res) => res.send(200, TEXT_HEADERS);

  const pipeline: Route = (req, res) => {
    const token = requireAuth(req);
    const body = decodePipelineBody(readBody(req, deps.maxBodyBytes));
    deps.stats.countPipeline(token);
    const answer = handlePipeline(deps.registry, body);
    if (!(answer instanceof Promise)) return res.send(200, JSON_HEADERS, pipelineJson(answer));
    // Inline callback: tsx (which runs this server) wraps every named closure in a __name() call.
    return answer.then((a) => res.send(200, JSON_HEADERS, pipelineJson(a)));
  };

  const cursor: Route = async (req, res) => {
    requireAuth(req);
    const body = decodeCursorBody(readBody(req, deps.maxBodyBytes));
    deps.stats.cursorRequests++;
    try {
      await handleCursor(deps.registry, body, (line) => {
        if (!res.headersSent) res.start(200, NDJSON_HEADERS);
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
    "/version": { GET: (_req, res) => res.send(200, TEXT_HEADERS, "leadrelay-libsql-dev") },
    "/v2": { GET: ok },
    "/v3": { GET: ok },
    "/v2/pipeline": { POST: pipeline },
    "/v3/pipeline": { POST: pipeline },
    "/v3/cursor": { POST: cursor },
    "/_stats": {
      GET: (req, res) => {
        // ?token=T: only the pipeline requests sent with that bearer token (Stats.countPipeline).
        const token = new URL(req.url, "http://localhost").searchParams.get("token");
        if (token === null) return sendJson(res, 200, deps.stats.snapshot());
        sendJson(res, 200, { pipelineRequests: deps.stats.pipelineRequestsWith(token) });
      },
    },
    "/_stats/reset": {
      POST: (_req, res) => {
        deps.stats.reset();
        sendJson(res, 200, deps.stats.snapshot());
      },
    },
  };

  // Maps, not the object: a request for `constructor` must not find Object's keys, and a head's strings (the
  // same objects every time, see http1-head.ts) keep their hash from one lookup to the next.
  const table = new Map(
    Object.entries(routes).map(([path, methods]) => [path, new Map(Object.entries(methods ?? {}))] as const),
  );

  // The exact paths clients send are found as they are; only others are normalized first.
  const pathOf = (url: string): string => (table.has(url) ? url : url.split("?")[0]!.replace(/\/+$/, "") || "/");

  return (req, res) => {
    const path = pathOf(req.url);
    const methods = table.get(path);
    if (req.method === "OPTIONS" && methods) {
      res.send(204, CORS);
      return;
    }
    const route = methods?.get(req.method);
    if (route === undefined) {
      // Unknown paths include /v3-protobuf: answering 404 there makes hrana-client fall back to JSON.
      if (methods) sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${path}`);
      else sendError(res, 404, "NOT_FOUND", `No route for ${req.method} ${path}`);
      return;
    }
    // Inline callback: tsx (which runs this server) wraps every named closure in a __name() call.
    try {
      route(req, res)?.catch((e: unknown) => failed(req, res, path, e));
    } catch (e) {
      failed(req, res, path, e);
    }
  };

  function failed(req: HttpRequest, res: HttpResponse, path: string, e: unknown): void {
    if (e instanceof HttpError) {
      sendError(res, e.status, e.code, e.message);
      return;
    }
    deps.log(`internal error on ${req.method} ${path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    const { message, code } = toProtoError(e);
    sendError(res, 500, code, message);
  }
}
