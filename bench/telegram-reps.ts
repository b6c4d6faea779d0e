import type { BenchWorkspace } from "./seed";

/**
 * Gives each rep a Telegram chat id and connects the workspace's bot the way an owner does (the Worker checks the
 * token with getMe and registers its webhook at the fake Bot API): from then on rep alerts reach the fake.
 */
export async function connectTelegramReps(base: string, ws: BenchWorkspace, firstChatId: number): Promise<void> {
  const send = (method: string, path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${ws.key}` },
      body: JSON.stringify(body),
    });
  for (const [i, id] of ws.repIds.entries()) {
    const res = await send("PATCH", `/api/v1/reps/${id}`, { telegramChatId: String(firstChatId + i) });
    if (res.status !== 200) throw new Error(`bench: PATCH rep ${id}: ${res.status} ${await res.text()}`);
  }
  const connected = await send("POST", "/api/v1/channels/telegram", { token: "7000001:BENCHbenchBENCHbench0001" });
  if (connected.status !== 201) {
    throw new Error(`bench: POST /api/v1/channels/telegram: ${connected.status} ${await connected.text()}`);
  }
}
