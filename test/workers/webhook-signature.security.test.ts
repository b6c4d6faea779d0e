import { describe, it } from "vitest";

// The place for webhook authentication tests: each forged or missing secret → 401 and nothing stored,
// nothing sent. They arrive with the channels (issues 4 and 5); the names say what each must prove.
describe("webhook signatures and secrets", () => {
  it.todo("Telegram: missing X-Telegram-Bot-Api-Secret-Token → 401, no side effect (issue 5)");
  it.todo("Telegram: wrong secret token (same length, one char off) → 401, no side effect (issue 5)");
  it.todo("WhatsApp: missing X-Hub-Signature-256 → 401, no side effect (issue 4)");
  it.todo("WhatsApp: signature over a different body / with another app secret → 401, no side effect (issue 4)");
  it.todo("WhatsApp: GET verification with a wrong hub.verify_token → 403, challenge not echoed (issue 4)");
});
