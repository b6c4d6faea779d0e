/**
 * `npx tsx scripts/dashboard-screenshot.ts [out.png]`: the README's dashboard picture, taken from the real
 * product. Starts its own stack on free ports over a temp folder (libSQL server, migrations, wrangler dev,
 * the demo workspace), captures a few dozen made-up leads through the public form and the API, works some
 * of them, spreads them over the last two weeks (in SQL: the API stamps every lead "now", which would draw one
 * bar), then signs in to /app in Chromium (/usr/bin/chromium) and saves the overview.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { chromium } from "playwright-core";
import { freePort } from "../bench/free-port";
import { migrateDatabase } from "../db/scripts/migrate";
import { startLibsqlServer } from "../db/server";
import { ensureDemoWorkspace } from "./demo-seed";
import { startWrangler } from "./wrangler-dev";

const out = resolve(process.argv[2] ?? "docs/dashboard.png");

const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Edsger",
  "Barbara",
  "Donald",
  "Frances",
  "Ken",
  "Radia",
  "Tim",
  "Hedy",
  "Linus",
];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Perlman", "Lee"];
const SOURCES = ["google", "facebook", "newsletter", "google", "linkedin", "google"];
const STATUSES = ["contacted", "qualified", "won", "contacted", "lost", "qualified", "won"];

const dir = mkdtempSync(join(tmpdir(), "leadrelay-shot-"));
const db = await startLibsqlServer({ file: join(dir, "shot.db") });
await migrateDatabase(db.url);
const worker = await startWrangler({ port: await freePort(), libsqlUrl: db.url, dataDir: dir, quiet: true });
try {
  const demo = await ensureDemoWorkspace(worker.url, dir);
  const api = (path: string, method: string, body: unknown) =>
    fetch(`${worker.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${demo.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<{ id?: string }>);
  for (let i = 0; i < 36; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    const email = `${name.toLowerCase().replace(" ", ".")}${i}@example.com`;
    let id: string | undefined;
    if (i % 4 === 3) {
      id = (await api("/api/v1/leads", "POST", { name, email, source: "api", message: "Imported from the CRM" })).id;
    } else {
      const source = SOURCES[i % SOURCES.length];
      const res = await fetch(`${worker.url}/f/${demo.formKey}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name,
          email,
          phone: `+1 415 555 ${String(1000 + i)}`,
          message: "Could you send me a quote?",
          page_url: `https://example.com/pricing?utm_source=${source}&utm_campaign=spring`,
        }),
      });
      if (!res.ok) throw new Error(`form capture: ${res.status} ${await res.text()}`);
    }
    if (!id) {
      const list = (await (
        await fetch(`${worker.url}/api/v1/leads?q=${encodeURIComponent(email)}`, {
          headers: { authorization: `Bearer ${demo.apiKey}` },
        })
      ).json()) as { data: { id: string }[] };
      id = list.data[0]?.id;
    }
    const status = STATUSES[i % STATUSES.length];
    if (id && i % 3 !== 0) await api(`/api/v1/leads/${id}`, "PATCH", { status });
  }

  const sql = createClient({ url: db.url });
  const ids = (await sql.execute("SELECT id FROM lead ORDER BY created_at")).rows.map((r) => String(r.id));
  const DAY = 86_400_000;
  for (const [i, id] of ids.entries()) {
    const back = ((i * 5) % 14) * DAY + ((i * 37) % 600) * 60_000;
    const response = (3 + ((i * 13) % 40)) * 60_000;
    await sql.batch([
      {
        sql: `UPDATE lead SET created_at = created_at - :back, assigned_at = assigned_at - :back,
                last_inbound_at = last_inbound_at - :back,
                first_response_at = CASE WHEN first_response_at IS NULL THEN NULL
                  ELSE assigned_at - :back + :response END
              WHERE id = :id`,
        args: { back, response, id },
      },
      { sql: "UPDATE lead_event SET created_at = created_at - :back WHERE lead_id = :id", args: { back, id } },
    ]);
  }
  sql.close();

  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 1180 }, deviceScaleFactor: 1 });
  await page.goto(`${worker.url}/app/login`);
  await page.getByLabel("Workspace API key").fill(demo.apiKey);
  await page.getByRole("button", { name: "Use the API key" }).click();
  await page.waitForURL(/\/app(\/)?$/);
  await page.screenshot({ path: out, fullPage: false });
  await browser.close();
  console.log(`saved ${out}`);
} finally {
  await worker.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
