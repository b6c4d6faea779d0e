import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runBridge } from "../../scripts/telegram-bridge-loop";

async function body(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

const servers: Server[] = [];
async function serve(
  handler: (req: IncomingMessage, json: any) => { status: number; body?: unknown },
): Promise<string> {
  const server = createServer(async (req, res) => {
    const out = handler(req, await body(req));
    res.writeHead(out.status, { "content-type": "application/json" }).end(JSON.stringify(out.body ?? {}));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe("telegram polling bridge", () => {
  it("deletes the webhook, forwards each update with the secret, re-sends one the Worker answered 5xx", async () => {
    const pending = [{ update_id: 7 }, { update_id: 8 }];
    const api: { method: string; body: any }[] = [];
    const apiRoot = await serve((req, json) => {
      const method = req.url!.split("/").pop()!;
      api.push({ method, body: json });
      if (method === "getUpdates")
        return { status: 200, body: { ok: true, result: pending.filter((u) => u.update_id >= json.offset) } };
      return { status: 200, body: { ok: true, result: true } };
    });
    const hooks: { id: number; secret: string | undefined }[] = [];
    let failFirst8 = true;
    const controller = new AbortController();
    const hookUrl = await serve((req, json) => {
      hooks.push({ id: json.update_id, secret: req.headers["x-telegram-bot-api-secret-token"] as string | undefined });
      if (json.update_id === 8 && failFirst8) {
        failFirst8 = false;
        return { status: 503 };
      }
      if (json.update_id === 8) setTimeout(() => controller.abort(), 50);
      return { status: 200 };
    });

    const delivered = await runBridge({
      apiRoot,
      token: "1:T",
      hookUrl,
      secret: "s3cret",
      signal: controller.signal,
      pollSeconds: 0,
      retryDelayMs: 10,
      log: () => {},
    });
    expect(delivered).toBe(2);
    expect(api[0]!.method).toBe("deleteWebhook");
    expect(hooks).toEqual([
      { id: 7, secret: "s3cret" },
      { id: 8, secret: "s3cret" },
      { id: 8, secret: "s3cret" },
    ]);
    // The offset moved past an update only once the Worker had stored it.
    const offsets = api.filter((c) => c.method === "getUpdates").map((c) => c.body.offset);
    expect(offsets[0]).toBe(0);
    expect(offsets.slice(1).every((o) => o === 9)).toBe(true);
  });
});
