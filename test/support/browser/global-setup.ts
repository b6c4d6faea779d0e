import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../../db/scripts/migrate";
import { startLibsqlServer } from "../../../db/server";
import { startWrangler } from "../../../scripts/wrangler-dev";
import { startFakeApis } from "../fake-apis";
import { BROWSER_ADMIN_TOKEN } from "./admin-token";
import { hostPage, INHERITING } from "./host-page";

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function api<T>(base: string, path: string, body?: unknown, key?: string): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: body ? "POST" : "GET",
    headers: {
      ...(body ? { "content-type": "application/json" } : {}),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** libSQL server → migrations → wrangler dev → a workspace with a form → the host page server. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "leadrelay-browser-"));
  const db = await startLibsqlServer({ file: join(dir, "browser.db") });
  await migrateDatabase(db.url);
  // Telegram and WhatsApp are faked at the network edge, as in the workerd tests.
  const fake = await startFakeApis();
  const worker = await startWrangler({
    port: await freePort(),
    libsqlUrl: db.url,
    dataDir: dir,
    quiet: true,
    // Loopback receivers: the webhook pages' test events go to the fake API's /hook/ receiver.
    vars: {
      TELEGRAM_API_ROOT: fake.url,
      WHATSAPP_GRAPH_URL: `${fake.url}/graph`,
      OUTBOUND_ALLOW_LOOPBACK: "true",
      ADMIN_TOKEN: BROWSER_ADMIN_TOKEN,
    },
  });

  // The host page is served first so its origin can be put on the form's allow list.
  let html = "";
  // `/?form=<key>&css=none|inheriting` embeds another form, on a page without styles or with styles that
  // reach the host element; plain `/` is the default form on the hostile page.
  const host = createServer((req, res) => {
    if (req.url === "/favicon.ico") return void res.writeHead(404).end();
    const q = new URL(req.url ?? "/", "http://host").searchParams;
    const css = q.get("css");
    const body =
      q.has("form") || css
        ? hostPage(
            worker.url,
            q.get("form") ?? form.publicKey,
            css === "none" ? "" : css === "inheriting" ? INHERITING : undefined,
          )
        : html;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
  });
  const hostUrl = await listen(host);

  const ws = await api<{ apiKey: { key: string } }>(
    worker.url,
    "/api/v1/workspaces",
    { name: "Acme Plumbing", defaultCountry: "US", timezone: "UTC" },
    BROWSER_ADMIN_TOKEN,
  );
  const key = ws.apiKey.key;
  const form = await api<{ publicKey: string }>(
    worker.url,
    "/api/v1/forms",
    {
      name: "Website contact form",
      allowedOrigins: [hostUrl],
      successMessage: "Thanks! A plumber will call you shortly.",
      fields: [
        { name: "name", label: "Name", type: "text", required: true },
        { name: "email", label: "Email", type: "email", required: true },
        { name: "phone", label: "Phone", type: "tel" },
        { name: "budget", label: "Budget", type: "select", options: ["under 1k", "1k-10k", "over 10k"] },
        { name: "message", label: "How can we help?", type: "textarea" },
      ],
    },
    key,
  );
  const reps: { id: string; name: string }[] = [];
  for (const name of ["Ava Santos", "Ben Okafor"]) reps.push(await api(worker.url, "/api/v1/reps", { name }, key));
  html = hostPage(worker.url, form.publicKey);

  project.provide("browserEnv", {
    workerUrl: worker.url,
    hostUrl,
    apiKey: key,
    formKey: form.publicKey,
    fakeApiUrl: fake.url,
    libsqlUrl: db.url,
    reps: reps.map((r) => ({ id: r.id, name: r.name })),
  });

  return async () => {
    await new Promise((resolve) => host.close(resolve));
    await worker.stop();
    await fake.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
