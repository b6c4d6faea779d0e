import { describe, expect, it } from "vitest";
import { call, dashboardSession, seedWorkspace, testDb } from "../support/workers/harness";
import { uniqueSuffix } from "../support/workers/whatsapp-harness";

const BASE = "https://leadrelay.test";

async function postForm(path: string, cookie: string, fields: Record<string, string>) {
  return call("POST", path, {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded" },
  });
}

const channels = async (workspaceId: string) =>
  (
    await testDb().execute({
      sql: "SELECT kind FROM channel WHERE workspace_id = ? ORDER BY kind",
      args: [workspaceId],
    })
  ).rows.map((r) => r.kind);

describe("channels page: connecting without the API", () => {
  it("connects a Telegram bot by its token; a malformed token is refused next to the field", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const bad = await postForm("/app/channels/telegram", cookie, { token: "not-a-token" });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/data-error-for="token">Not a Telegram bot token/);
    expect(await channels(ws.id)).toEqual([]);

    const token = `${Math.floor(Math.random() * 1e9) + 1e9}:AAtest-${uniqueSuffix()}xxxxxxxx`;
    const ok = await postForm("/app/channels/telegram", cookie, { token });
    expect(ok.status).toBe(201);
    expect(ok.text).toContain("Connected @");
    expect(ok.text).not.toContain(token);
    expect(await channels(ws.id)).toEqual(["telegram"]);
  });

  it("connects a WhatsApp number in steps, showing the exact callback URL and verify token for Meta", async () => {
    const ws = await seedWorkspace();
    const { cookie } = await dashboardSession(ws.key);
    const page = await call("GET", "/app/channels", { headers: { cookie } });
    expect(page.text).toContain("Connect a WhatsApp number");
    expect(page.text).not.toMatch(/\/api\/v1/);
    const suggested = /id="whatsapp-verifyToken" name="verifyToken" value="([^"]+)"/.exec(page.text)?.[1];
    expect(suggested).toMatch(/^lr-/);

    const fields = {
      phoneNumberId: String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999)),
      accessToken: `EAAG${uniqueSuffix()}TESTTOKENxxxxxxxx`,
      appSecret: "",
      verifyToken: suggested!,
    };
    const missing = await postForm("/app/channels/whatsapp", cookie, fields);
    expect(missing.status).toBe(422);
    expect(missing.text).toMatch(/data-error-for="appSecret"/);
    expect(await channels(ws.id)).toEqual([]);

    const ok = await postForm("/app/channels/whatsapp", cookie, {
      ...fields,
      appSecret: `appsecret-${uniqueSuffix()}`,
    });
    expect(ok.status).toBe(201);
    const url = /data-callback-url>([^<]+)</.exec(ok.text)?.[1];
    expect(url).toMatch(/^https:\/\/leadrelay\.test\/hooks\/whatsapp\/chan_/);
    expect(/data-verify-token>([^<]+)</.exec(ok.text)?.[1]).toBe(suggested);
    expect(await channels(ws.id)).toEqual(["whatsapp"]);
    // Meta's verification handshake succeeds with exactly those two values.
    const challenge = await call(
      "GET",
      `${new URL(url!).pathname}?hub.mode=subscribe&hub.verify_token=${suggested}&hub.challenge=42`,
    );
    expect(challenge.status).toBe(200);
    expect(challenge.text).toBe("42");
  });
});
