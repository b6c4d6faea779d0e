import { describe, it } from "vitest";

// The place for webhook authentication tests: each forged or missing secret → 401 and nothing stored,
// nothing sent. Telegram's are in telegram.security.test.ts; WhatsApp's arrive with its issue, the names say
// what each must prove.
describe("webhook signatures and secrets", () => {
  it.todo("WhatsApp: missing X-Hub-Signature-256 → 401, no side effect (issue 4)");
  it.todo("WhatsApp: signature over a different body / with another app secret → 401, no side effect (issue 4)");
  it.todo("WhatsApp: GET verification with a wrong hub.verify_token → 403, challenge not echoed (issue 4)");
});
