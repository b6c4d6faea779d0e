import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../../bench/free-port";
import { PASSED_FROM_ENV, workerVarsFromEnv } from "../../scripts/worker-vars";
import { type RecordedCall, startFakeApis } from "../support/fake-apis";

describe("npm start: Worker settings from the environment", () => {
  it("passes the listed names that are set, and nothing else (no LIBSQL_URL, no empty values)", () => {
    const vars = workerVarsFromEnv({
      TELEGRAM_API_ROOT: "http://127.0.0.1:9001",
      WHATSAPP_GRAPH_URL: "http://127.0.0.1:9001/graph",
      EMAIL_API_KEY: "",
      LIBSQL_URL: "http://elsewhere:8080",
      HOME: "/root",
    });
    expect(vars).toEqual({
      TELEGRAM_API_ROOT: "http://127.0.0.1:9001",
      WHATSAPP_GRAPH_URL: "http://127.0.0.1:9001/graph",
    });
    expect(PASSED_FROM_ENV).toEqual(
      expect.arrayContaining([
        "PUBLIC_URL",
        "EMAIL_API_URL",
        "EMAIL_API_KEY",
        "EMAIL_FROM",
        "TURNSTILE_SECRET",
        "TURNSTILE_VERIFY_URL",
      ]),
    );
  });

  it("with TELEGRAM_API_ROOT and PUBLIC_URL set, a bot connected on `npm start` uses that root and URL", async () => {
    const fake = await startFakeApis();
    const dataDir = mkdtempSync(join(tmpdir(), "leadrelay-start-"));
    const port = await freePort();
    const child = spawn(
      "node_modules/.bin/tsx",
      ["scripts/start.ts", "--port", String(port), "--db-port", String(await freePort()), "--data-dir", dataDir],
      {
        env: { ...process.env, TELEGRAM_API_ROOT: fake.url, PUBLIC_URL: "https://leads.example.test" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      let out = "";
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("LeadRelay is running")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`npm start exited (${code}):\n${out}`)));
      });
      expect(out).toContain("from the environment: TELEGRAM_API_ROOT, PUBLIC_URL");
      const { apiKey } = JSON.parse(readFileSync(join(dataDir, "demo.json"), "utf8")) as { apiKey: string };
      const botId = "4711000001";
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/channels/telegram`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ token: `${botId}:AAstart-env-test-token-xxxxxxxx` }),
      });
      expect(res.status).toBe(201);
      const calls = (await (await fetch(`${fake.url}/_calls?recipient=bot${botId}`)).json()) as RecordedCall[];
      expect(calls.map((c) => c.path.split("/").pop())).toEqual(expect.arrayContaining(["getMe", "setWebhook"]));
      const hook = calls.find((c) => c.path.endsWith("/setWebhook"))!;
      expect(String(hook.body.url)).toMatch(/^https:\/\/leads\.example\.test\/hooks\/telegram\//);
    } finally {
      child.kill("SIGINT");
      await exited;
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
