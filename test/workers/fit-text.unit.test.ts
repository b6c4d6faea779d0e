import { describe, expect, it } from "vitest";
import { CHAT_TEXT_LIMIT, fitText, splitText } from "../../workers/outbox/fit-text";

describe("long texts at a chat's limit", () => {
  it("splitText: parts within the limit, at word breaks, nothing lost", () => {
    const words = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(" ");
    const parts = splitText(words);
    expect(parts.length).toBe(4); // 12,389 characters
    expect(parts.every((p) => p.length <= CHAT_TEXT_LIMIT)).toBe(true);
    expect(parts.join(" ")).toBe(words);
    expect(parts.every((p) => /word\d+$/.test(p))).toBe(true);
    expect(splitText("short")).toEqual(["short"]);
    expect(splitText("")).toEqual([""]);
  });

  it("splitText prefers a paragraph break and never splits an emoji", () => {
    const text = `${"a ".repeat(1500)}\n\n${"b ".repeat(1500)}`;
    expect(splitText(text)[0]).toBe("a ".repeat(1500).trimEnd());
    const emojis = "\u{1F600}".repeat(3000);
    const parts = splitText(emojis);
    expect(parts.join("")).toBe(emojis);
    expect(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });

  it("fitText ends a cut text with … and the note, within the limit; short texts are untouched", () => {
    expect(fitText("hello", 10)).toBe("hello");
    const cut = fitText("x ".repeat(3000), CHAT_TEXT_LIMIT, "the full text is on lead lead_1");
    expect(cut.length).toBeLessThanOrEqual(CHAT_TEXT_LIMIT);
    expect(cut.endsWith("…\n(the full text is on lead lead_1)")).toBe(true);
    expect(fitText("y".repeat(600), 500)).toMatch(/^y{499}…$/);
  });
});
