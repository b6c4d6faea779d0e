import { describe, expect, it } from "vitest";
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, nextAttemptAt } from "../../workers/outbox/backoff";
import { renderTemplate } from "../../workers/outbox/render";

describe("backoff", () => {
  it("doubles from the base and caps, jittered between half and all of the step", () => {
    const lowest = () => 0;
    const highest = () => 1;
    expect(nextAttemptAt(0, 1, undefined, highest)).toBe(BACKOFF_BASE_MS);
    expect(nextAttemptAt(0, 1, undefined, lowest)).toBe(BACKOFF_BASE_MS / 2);
    expect(nextAttemptAt(0, 2, undefined, highest)).toBe(2 * BACKOFF_BASE_MS);
    expect(nextAttemptAt(0, 4, undefined, highest)).toBe(8 * BACKOFF_BASE_MS);
    expect(nextAttemptAt(0, 30, undefined, highest)).toBe(BACKOFF_MAX_MS);
    expect(nextAttemptAt(0, 30, undefined, lowest)).toBe(BACKOFF_MAX_MS / 2);
    // Bounded sample of the real random source: always inside the band.
    for (let i = 0; i < 200; i++) {
      const at = nextAttemptAt(0, 3);
      expect(at).toBeGreaterThanOrEqual(2 * BACKOFF_BASE_MS);
      expect(at).toBeLessThanOrEqual(4 * BACKOFF_BASE_MS);
    }
  });

  it("takes the provider's retry time exactly, shorter or longer than the backoff", () => {
    expect(nextAttemptAt(1000, 1, 120_000)).toBe(121_000);
    expect(nextAttemptAt(0, 3, 3_000)).toBe(3_000);
  });
});

describe("templates", () => {
  it("fills {name}, {rep_name}, {form} and reads naturally without them", () => {
    expect(
      renderTemplate("Hi {name}, {rep_name} got your {form} request", { name: "Ada", repName: "Ben", form: "Quote" }),
    ).toBe("Hi Ada, Ben got your Quote request");
    expect(renderTemplate("Hi {name}, {rep_name} will call. {other}", { name: " ", repName: null, form: null })).toBe(
      "Hi there, our team will call. {other}",
    );
  });
});
