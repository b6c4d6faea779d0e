import { describe, expect, it } from "vitest";
import type { PersonInvitedJson, RepJson } from "../support/response-json";
import { call, seedWorkspace, uniqueEmail } from "../support/workers/harness";
import { addTelegramChannel, eventually, fakeCalls, uniqueChatId } from "../support/workers/outbox-harness";
import { cookieOf, formPost, PASSWORD, page } from "../support/workers/team-harness";

/** The texts the fake Telegram API received for a chat, newest last. */
async function chatTexts(chatId: string): Promise<string[]> {
  return (await fakeCalls(chatId)).map((c) => String(c.body.text ?? ""));
}

describe("invites and one-time codes through the linked chat", () => {
  it("sends the invite to the rep's Telegram chat and email; a code from the chat signs in once", async () => {
    const ws = await seedWorkspace();
    await addTelegramChannel(ws.id, {});
    const chatId = uniqueChatId();
    const rep = ws.reps[0]!;
    expect(
      (await call<RepJson>("PATCH", `/api/v1/reps/${rep.id}`, { key: ws.key, body: { telegramChatId: chatId } }))
        .status,
    ).toBe(200);

    const email = uniqueEmail();
    const invited = await call<PersonInvitedJson & { sentTo: number }>("POST", "/api/v1/people", {
      key: ws.key,
      body: { email, name: "Ana", role: "rep", repId: rep.id },
    });
    expect(invited.status).toBe(201);
    expect(invited.json.sentTo).toBe(2);
    await eventually(async () =>
      expect((await chatTexts(chatId)).some((t) => t.includes(invited.json.inviteUrl))).toBe(true),
    );
    await eventually(async () => expect(JSON.stringify(await fakeCalls(email))).toContain(invited.json.inviteUrl));
    expect((await formPost(new URL(invited.json.inviteUrl).pathname, { password: PASSWORD })).status).toBe(303);

    const asked = await formPost("/app/login/code", { email });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain("a code is on its way");
    const code = await eventually(async () => {
      const found = (await chatTexts(chatId)).map((t) => /sign-in code: (\d{6})/.exec(t)?.[1]).find(Boolean);
      expect(found).toBeDefined();
      return found!;
    });
    const wrong = code === "000000" ? "000001" : "000000";
    expect((await formPost("/app/login/code", { email, code: wrong })).status).toBe(401);
    const signedIn = await formPost("/app/login/code", { email, code });
    expect(signedIn.status).toBe(303);
    expect((await page("/app/leads", cookieOf(signedIn))).status).toBe(200);
    // Used once: the same code opens nothing again.
    expect((await formPost("/app/login/code", { email, code })).status).toBe(401);

    // An address without a person gets the same answer and no message.
    const stranger = await formPost("/app/login/code", { email: uniqueEmail() });
    expect(stranger.status).toBe(200);
    expect(stranger.text).toContain("a code is on its way");
  });
});
