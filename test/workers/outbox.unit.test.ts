import { describe, expect, it } from "vitest";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, nextAttemptAt } from "../../workers/outbox/backoff";
import { renderTemplate } from "../../workers/outbox/render";

describe("backoff", () => {
  it("doubles from the base, caps, and never undercuts the provider's retry_after", () => {
    expect(nextAttemptAt(0, 1)).toBe(BACKOFF_BASE_MS);
    expect(nextAttemptAt(0, 2)).toBe(2 * BACKOFF_BASE_MS);
    expect(nextAttemptAt(0, 4)).toBe(8 * BACKOFF_BASE_MS);
    expect(nextAttemptAt(0, 30)).toBe(BACKOFF_MAX_MS);
    expect(nextAttemptAt(1000, 1, 120_000)).toBe(121_000);
    expect(nextAttemptAt(0, 3, 5_000)).toBe(4 * BACKOFF_BASE_MS);
  });
});

describe("templates", () => {
  it("fills {name}, {rep_name}, {form} and reads naturally without them", () => {
    expect(renderTemplate("Hi {name}, {rep_name} got your {form} request", { name: "Ada", repName: "Ben", form: "Quote" })).toBe(
      "Hi Ada, Ben got your Quote request",
    );
    expect(renderTemplate("Hi {name}, {rep_name} will call. {other}", { name: " ", repName: null, form: null })).toBe(
      "Hi there, our team will call. {other}",
    );
  });
});
