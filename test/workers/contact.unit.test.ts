import { describe, expect, it } from "vitest";
import { normalizeEmail, normalizePhone, phoneCountry } from "../../workers/lib/contact";

describe("normalizePhone", () => {
  it.each([
    ["(415) 555-0132", "US", "+14155550132"],
    ["+1 415 555 0132", "DE", "+14155550132"],
    ["0044 20 7946 0958", "US", "+442079460958"],
    ["020 7946 0958", "GB", "+442079460958"],
    ["030 901820", "DE", "+4930901820"],
    ["+55 11 91234-5678", "US", "+5511912345678"],
  ])("%s in %s → %s", (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
  });

  it.each(["12", "call me", "", "+1 415", "1".repeat(50), "+999 1234567"])("rejects %j", (input) => {
    expect(normalizePhone(input, "US")).toBeNull();
  });

  it("knows the country of a number", () => {
    expect(phoneCountry("+442079460958")).toBe("GB");
  });

  it("answers the same when asked again, and knows the country of a number it normalized", () => {
    for (let round = 0; round < 2; round++) {
      expect(normalizePhone("+1 204 555 0199", "US")).toBe("+12045550199");
      expect(normalizePhone("+12045550199", "GB")).toBe("+12045550199");
      expect(phoneCountry("+12045550199")).toBe("CA");
      expect(normalizePhone("020 7946 0958", "GB")).toBe("+442079460958");
      expect(normalizePhone("020 7946 0958", "US")).toBeNull();
      expect(phoneCountry("+16135550123")).toBe("CA");
    }
  });

  it("stays right past the numbers it keeps", () => {
    for (let i = 0; i < 2500; i++) {
      const e164 = `+1415555${String(i % 10000).padStart(4, "0")}`;
      expect(normalizePhone(e164, "DE")).toBe(e164);
      expect(phoneCountry(e164)).toBe("US");
    }
  });
});

describe("normalizeEmail", () => {
  it("trims and lower-cases", () => {
    expect(normalizeEmail("  Grace@Example.COM ")).toBe("grace@example.com");
  });
  it.each(["plain", "a@b", "a b@c.de", "<a@b.co>", `${"x".repeat(250)}@b.co`])("rejects %j", (input) => {
    expect(normalizeEmail(input)).toBeNull();
  });
});
