import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";

const root = new URL("../..", import.meta.url).pathname;

// Keep wrangler (used by the pool to read wrangler.toml) offline and its files inside the project.
process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_ERROR_REPORTS ??= "false";
process.env.XDG_CONFIG_HOME ??= `${root}.config`;

/**
 * A project of tests inside workerd: the Worker as `configPath` declares it, with its external APIs pointed at
 * the host-side fakes and its database at the project's own libSQL server (`viaFaultProxy`: behind the proxy
 * tests can take down, test/support/fault-proxy.ts).
 */
export function workersProject(opts: {
  name: string;
  include: string[];
  configPath: string;
  groupOrder: number;
  viaFaultProxy?: boolean;
}) {
  return defineProject({
    // Pre-bundled dependencies live in the checkout, not in node_modules (which worktrees may share), one folder
    // per `npm test` lane (scripts/test.ts): lanes start together, and two processes must not write one folder.
    cacheDir: `${root}.cache/vite${process.env.LEADRELAY_TEST_LANE ? `-${process.env.LEADRELAY_TEST_LANE}` : ""}`,
    plugins: [
      cloudflareTest(({ inject }) => ({
        // The shipped Worker plus the test-only JSON channel (test/support/workers/json-channel/).
        main: "./test/support/workers/test-entry.ts",
        wrangler: { configPath: opts.configPath },
        miniflare: {
          bindings: {
            LIBSQL_URL: inject(opts.viaFaultProxy ? "faultyLibsqlUrl" : "libsqlUrl"),
            // The test server accepts any token and counts requests by it (harness `libsqlStats`): the project's
            // Worker's requests apart from the tests' own reads and from work another project left running.
            LIBSQL_AUTH_TOKEN: opts.name,
            // External APIs point at the host-side fakes (test/support/fake-apis.ts).
            TELEGRAM_API_ROOT: inject("fakeApiUrl"),
            WHATSAPP_GRAPH_URL: `${inject("fakeApiUrl")}/graph`,
            EMAIL_API_URL: `${inject("fakeApiUrl")}/email`,
            EMAIL_API_KEY: "test-email-key",
            EMAIL_FROM: "LeadRelay <hello@leadrelay.test>",
            // A fresh random secret per run: no test can depend on a known value to mint a session.
            SESSION_SECRET: crypto.randomUUID() + crypto.randomUUID(),
            // The fakes listen on 127.0.0.1: outgoing webhooks may reach them only because of this test-only setting.
            OUTBOUND_ALLOW_LOOPBACK: "true",
          },
        },
      })),
    ],
    test: {
      name: opts.name,
      root,
      include: opts.include,
      globalSetup: ["test/support/global-setup.ts", "test/support/fake-apis-setup.ts"],
      // Loops are bounded by counts; the timeout only catches a hang, so a busy 2-core machine never fails a test.
      testTimeout: 120_000,
      // Files share one libSQL server and some tests count its requests: run files one after another.
      fileParallelism: false,
      // One workerd for all of a project's files, the Worker's modules loaded once: a fresh workerd per file cost
      // more than most files' tests (631 s of gaps between 94 files in one full run, 9 s without; docs/testing.md).
      isolate: false,
      // vitest hands all of a non-isolated project's files to one worker only when no other project shares its group.
      sequence: { groupOrder: opts.groupOrder },
      // The Worker loads module by module over the pool's socket: several hundred small modules of these packages,
      // pre-bundled, are one module each.
      deps: {
        optimizer: {
          ssr: {
            enabled: true,
            include: [
              "zod",
              "drizzle-orm",
              "drizzle-orm/libsql",
              "drizzle-orm/libsql/web",
              "drizzle-orm/sqlite-core",
              "hono",
              "hono/cookie",
              "hono/cors",
              "hono/csrf",
              "hono/factory",
              "hono/html",
              "hono/http-exception",
              "hono/utils/html",
              "hono/utils/http-status",
              "@hono/zod-openapi",
              "grammy",
              "@libsql/client/web",
              "libphonenumber-js/core",
            ],
          },
        },
      },
    },
  });
}
