import type { Message } from "grammy/types";
import { describe, expect, it } from "vitest";
import { advance, captureSteps, question } from "../../bots/telegram/conversation";
import { inboundContent } from "../../bots/telegram/media";

const msg = (extra: Record<string, unknown>) =>
  ({ message_id: 1, date: 0, chat: { id: 1, type: "private", first_name: "A" }, ...extra }) as unknown as Message;

describe("conversational capture steps", () => {
  it("asks name → need → phone, leaving out what is known", () => {
    expect(captureSteps({ needKnown: false, hasPhone: false })).toEqual(["name", "need", "phone"]);
    expect(captureSteps({ needKnown: true, hasPhone: false })).toEqual(["name", "phone"]);
    expect(captureSteps({ needKnown: false, hasPhone: true })).toEqual(["name", "need"]);
  });

  it("moves on, skipping the phone question once the lead has a phone", () => {
    expect(advance(["need", "phone"], false)).toEqual({ step: "need", later: ["phone"] });
    expect(advance(["phone"], true)).toEqual({ step: null, later: [] });
    expect(advance([], false)).toEqual({ step: null, later: [] });
  });

  it("every question has a Skip button; the phone question a request_contact button", () => {
    for (const step of ["name", "need", "phone"] as const) {
      const { replyMarkup } = question(step, "Jane") as { replyMarkup: { keyboard: unknown[][] } };
      expect(replyMarkup.keyboard.at(-1)).toEqual(["Skip"]);
    }
    expect((question("phone", undefined).replyMarkup as { keyboard: unknown[][] }).keyboard[0]).toEqual([
      { text: "Share my phone number", request_contact: true },
    ]);
    expect(question("name", undefined).text).not.toContain("Skip keeps");
  });
});

describe("inbound content", () => {
  it("describes media for the timeline and chooses how the rep sees it", () => {
    expect(inboundContent(msg({ text: "hi" }))).toMatchObject({ text: "hi", media: null, relay: "text" });
    expect(
      inboundContent(
        msg({
          photo: [
            { file_id: "s", width: 1, height: 1 },
            { file_id: "l", width: 9, height: 9 },
          ],
          caption: "c",
        }),
      ),
    ).toMatchObject({
      text: "[photo] c",
      label: "Photo",
      body: "c",
      media: { type: "photo", fileId: "l" },
      relay: "copy",
    });
    // An animation also carries a document: it is a GIF.
    expect(inboundContent(msg({ animation: { file_id: "g", duration: 2 }, document: { file_id: "g" } }))).toMatchObject(
      { label: "GIF", relay: "copy" },
    );
    expect(inboundContent(msg({ video_note: { file_id: "v", duration: 7, length: 240 } }))).toMatchObject({
      text: "[round video 7s]",
      relay: "copy+header",
    });
    expect(
      inboundContent(
        msg({
          venue: { title: "Cafe", address: "Main St 1", location: { latitude: 1, longitude: 2 } },
          location: { latitude: 1, longitude: 2 },
        }),
      ),
    ).toMatchObject({
      label: "Place",
      relay: "text",
      body: "Cafe, Main St 1 https://maps.google.com/?q=1,2",
    });
    expect(inboundContent(msg({ contact: { phone_number: "+100", first_name: "Bo" } }))).toMatchObject({
      text: "[contact card] Bo +100",
      relay: "text",
    });
    expect(inboundContent(msg({ caption: "x".repeat(2000), document: { file_id: "d" } }))!.body).toHaveLength(900);
    // Service messages (a pinned message, a new chat title) are not something the prospect said.
    expect(inboundContent(msg({ new_chat_title: "t" }))).toBeNull();
  });
});
