import { describe, expect, it } from "vitest";
import { looksLikeName, readNameAnswer } from "../../bots/telegram/name-answer";

describe('the answer to "What\'s your name?"', () => {
  it("names are names", () => {
    for (const name of [
      "Sam",
      "Jane Doe",
      "María José García",
      "J. R. Smith",
      "O'Brien",
      "Jean-Luc Picard",
      "Дмитрий",
      "李小龙",
    ]) {
      expect(looksLikeName(name), name).toBe(true);
      expect(readNameAnswer(name)).toEqual({ name, inquiry: null });
    }
  });

  it("a sentence is the inquiry; the name it introduces, if any, is the name", () => {
    expect(readNameAnswer("Hello, I'm Sam and I need pricing for 100 units")).toEqual({
      name: "Sam",
      inquiry: "Hello, I'm Sam and I need pricing for 100 units",
    });
    expect(readNameAnswer("Hi! My name is Sam Lee, do you ship to Canada?")).toMatchObject({ name: "Sam Lee" });
    expect(readNameAnswer("I need pricing for 100 units")).toEqual({
      name: null,
      inquiry: "I need pricing for 100 units",
    });
    expect(readNameAnswer("how much is it?")).toEqual({ name: null, inquiry: "how much is it?" });
    expect(readNameAnswer("I am interested in 20 chairs")).toMatchObject({ name: null });
    for (const text of ["call me at 555 1234", "Hello there, good morning to you all", "Pricing.", "a b c d e"]) {
      expect(looksLikeName(text), text).toBe(false);
    }
  });
});
