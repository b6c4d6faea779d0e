import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Debian's Chromium, offline and headless, for every browser test file. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync("/usr/bin/chromium")) {
    throw new Error("Chromium is missing: apt-get install -y --no-install-recommends chromium (see docs/testing.md)");
  }
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
}

/** The owner API of the test Worker with the workspace's key; JSON in, JSON out. */
export async function workerApi(
  env: { workerUrl: string; apiKey: string },
  path: string,
  init: { method?: string; body?: unknown } = {},
) {
  const res = await fetch(`${env.workerUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${env.apiKey}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return (await res.json()) as any;
}
