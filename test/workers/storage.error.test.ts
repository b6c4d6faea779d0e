import { describe, expect, it } from "vitest";
import { parseConfig } from "../../workers/config";
import { createApp } from "../../workers/http/create-app";
import { CHANNELS } from "../../workers/index";
import { call, countRows, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";

// The real app, built with a config whose database is unreachable (nothing listens on port 9).
function appWithDeadDatabase() {
  const parsed = parseConfig({ LIBSQL_URL: "http://127.0.0.1:9" });
  if (!parsed.ok) throw new Error(parsed.issues.join());
  return createApp(parsed.config, CHANNELS);
}

describe("database unavailable", () => {
  it("capture answers 503 so the sender retries; the retry against a healthy database succeeds once", async () => {
    const ws = await seedWorkspace();
    // Warm this isolate's form cache with a honeypot post (stores nothing), so the dead database is
    // hit by the capture batch itself, not by the form lookup.
    await call("POST", `/f/${ws.form.publicKey}`, { body: { company_website: "x" } });
    const email = uniqueEmail();
    const body = JSON.stringify({ name: "Retry Me", email });
    const dead = appWithDeadDatabase();
    const res = await dead.request(`/f/${ws.form.publicKey}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(503);
    const json = (await res.json()) as { error: { code: string } };
    expect(json.error.code).toBe("STORAGE_UNAVAILABLE");
    expect(await countRows(testDb(), "lead", ws.id)).toBe(0);

    const retry = await call("POST", `/f/${ws.form.publicKey}`, {
      rawBody: body,
      headers: { "content-type": "application/json" },
    });
    expect(retry.status).toBe(200);
    expect(await countRows(testDb(), "lead", ws.id)).toBe(1);
  });

  it("owner API answers 503, not 500", async () => {
    const res = await appWithDeadDatabase().request("/api/v1/leads", {
      headers: { authorization: `Bearer lr_${"a".repeat(40)}` },
    });
    expect(res.status).toBe(503);
  });

  it("a bad environment answers BAD_ENVIRONMENT", () => {
    const parsed = parseConfig({ LIBSQL_URL: "not a url" });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.join()).toMatch(/LIBSQL_URL/);
  });
});
