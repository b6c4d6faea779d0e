import { existsSync, mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import type { ResponseJson } from "../response-json";
import { BROWSER_ADMIN_TOKEN } from "./admin-token";

export const SHOTS = "test-results/browser";
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
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
}

/** The owner API of the test Worker with the workspace's key; JSON in, JSON out. */
export async function workerApi<T = ResponseJson>(
  env: { workerUrl: string; apiKey: string },
  path: string,
  init: { method?: string; body?: unknown } = {},
) {
  const res = await fetch(`${env.workerUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${env.apiKey}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return (await res.json()) as T;
}

/** The owner API with the seeded workspace's key, or another workspace's (setup a test is not about). */
export async function api<T = ResponseJson>(
  path: string,
  init: { method?: string; body?: unknown; key?: string } = {},
): Promise<T> {
  const env = inject("browserEnv");
  return workerApi<T>({ workerUrl: env.workerUrl, apiKey: init.key ?? env.apiKey }, path, init);
}

/** Signs the page in to the console with an API key. */
export async function signIn(page: Page, key = inject("browserEnv").apiKey) {
  const { workerUrl } = inject("browserEnv");
  await page.goto(`${workerUrl}/app/login`);
  await page.getByLabel("Workspace API key").fill(key);
  await page.getByRole("button", { name: "Use the API key" }).click();
  await page.waitForURL(`${workerUrl}/app`);
}

/** A workspace of the test's own (no reps, no form), so what it adds never shows in another test's pages. */
export async function newWorkspace(name = "Own Workspace"): Promise<{ id: string; key: string }> {
  const { workerUrl } = inject("browserEnv");
  const res = await fetch(`${workerUrl}/api/v1/workspaces`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` },
    body: JSON.stringify({ name, defaultCountry: "US", timezone: "UTC" }),
  });
  if (res.status !== 201) throw new Error(`new workspace: ${res.status} ${await res.text()}`);
  const json = (await res.json()) as { workspace: { id: string }; apiKey: { key: string } };
  return { id: json.workspace.id, key: json.apiKey.key };
}

/** Chromium plus a workspace of the file's own for its tests, closed afterwards. */
export function browserWithWorkspace(name: string): { browser: Browser; key: string } {
  const state = {} as { browser: Browser; key: string };
  beforeAll(async () => {
    state.browser = await launchChromium();
    state.key = (await newWorkspace(name)).key;
  });
  afterAll(async () => {
    await state.browser?.close();
  });
  return state;
}
