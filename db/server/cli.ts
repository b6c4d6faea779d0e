// Runs the local libSQL server: npx tsx db/server/cli.ts --file .data/leadrelay.db --port 8080
// [--host 127.0.0.1] [--auth-token X]; LIBSQL_FILE, LIBSQL_PORT, LIBSQL_HOST and LIBSQL_AUTH_TOKEN work too.

import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { logToStderr, startLibsqlServer } from "./index";

const USAGE =
  "usage: tsx db/server/cli.ts --file <path> [--port 8080] [--host 127.0.0.1] [--auth-token <token>] " +
  "[--idle-timeout-ms 10000]";

function fail(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(2);
}

const readArgs = () =>
  parseArgs({
    options: {
      file: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "auth-token": { type: "string" },
      "idle-timeout-ms": { type: "string" },
      help: { type: "boolean" },
    },
  }).values;

async function main(): Promise<void> {
  let values: ReturnType<typeof readArgs>;
  try {
    values = readArgs();
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const file = values.file ?? process.env.LIBSQL_FILE ?? ".data/leadrelay.db";
  const portText = values.port ?? process.env.LIBSQL_PORT ?? "8080";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port: ${portText}`);
  const idleText = values["idle-timeout-ms"];
  const streamIdleTimeoutMs = idleText === undefined ? undefined : Number(idleText);
  if (streamIdleTimeoutMs !== undefined && !(streamIdleTimeoutMs > 0)) fail(`invalid idle timeout: ${idleText}`);
  const authToken = values["auth-token"] ?? (process.env.LIBSQL_AUTH_TOKEN || undefined);

  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });

  const server = await startLibsqlServer({
    file: path,
    host: values.host ?? process.env.LIBSQL_HOST ?? "127.0.0.1",
    port,
    authToken,
    streamIdleTimeoutMs,
    log: logToStderr,
  });
  console.log(`libsql server listening on ${server.url} (file ${file})`);
  let stopping = false;
  const stop = (signal: string) => {
    // A second Ctrl-C means "now", even if closing is stuck.
    if (stopping) process.exit(1);
    stopping = true;
    logToStderr(`${signal}: closing`);
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
