import { describe, expect, inject, it } from "vitest";
import { fakeApiUrl } from "../support/workers/outbox-harness";
import {
  nextUpdateId,
  postUpdate,
  retarget as retargetUpdate,
  uniqueChatId,
  workspaceWithBot,
} from "../support/workers/telegram-harness";
import {
  type Payload,
  postWebhook,
  retarget,
  uniqueSuffix,
  uniqueWaId,
  waEvents,
  waLeads,
  workspaceWithNumber,
} from "../support/workers/whatsapp-harness";

/**
 * Conformance: third-party payloads (Telegram's and Meta's documentation, pywa's and teloxide's test data)
 * replayed through the real webhooks. They stay outside the repository, in ../shared/fixtures; the suite's
 * own fixtures are in test/fixtures. Without that folder this file skips.
 */
const available = inject("sharedFixtures");
if (!available) console.info("conformance: ../shared/fixtures not found beside the repository; skipped");

async function shared(path: string): Promise<Payload> {
  const res = await fetch(`${fakeApiUrl}/_shared-fixtures/${path}.json`);
  if (!res.ok) throw new Error(`shared fixture ${path}: ${res.status}`);
  return (await res.json()) as Payload;
}

// Inbound WhatsApp messages with the type and text the timeline must show.
const WHATSAPP_MESSAGES: [fixture: string, type: string, text: string | RegExp][] = [
  ["pywa/message__text", "text", "Body Text"],
  ["meta-docs-examples/text__ex1", "text", /./],
  ["pywa/message__reply", "text", /./],
  ["pywa/message__forwarded", "text", /./],
  ["pywa/message__forwarded_many_times", "text", /./],
  ["pywa/callback_button__button", "interactive", "title"],
  ["meta-docs-examples/interactive-reply-buttons-messages__ex3", "interactive", /./],
  ["pywa/callback_selection__callback", "interactive", "title"],
  ["pywa/callback_selection__description", "interactive", "title"],
  ["meta-docs-examples/interactive-list-messages__ex3", "interactive", /./],
  ["pywa/callback_button__quick_reply", "button", "title"],
  ["pywa/callback_button__quick_reply_without_context", "button", "title"],
  ["pywa/message__image", "image", "[image]"],
  ["pywa/message__media_with_url", "image", "[image]"],
  ["meta-docs-examples/image__ex1", "image", "[image]"],
  ["pywa/message__document", "document", "[document"],
  ["pywa/message__audio", "audio", /^\[(audio|voice message)\]/],
  ["pywa/message__voice", "audio", /^\[(audio|voice message)\]/],
  ["pywa/message__video", "video", "[video"],
  ["pywa/message__static_sticker", "sticker", "[sticker]"],
  ["pywa/message__animated_sticker", "sticker", "[sticker]"],
  ["pywa/message__current_location", "location", "[location]"],
  ["pywa/message__chosen_location", "location", "[location]"],
  ["meta-docs-examples/location__ex1", "location", "[location]"],
  ["pywa/message__contacts", "contacts", "[contact card]"],
  ["meta-docs-examples/contacts__ex1", "contacts", "[contact card]"],
  ["pywa/message__reaction", "reaction", "[reaction"],
  ["meta-docs-examples/reaction__ex1", "reaction", "[reaction"],
  ["pywa/message__unreaction_empty", "reaction", "[reaction removed]"],
  ["pywa/message__unreaction_no_emoji", "reaction", "[reaction removed]"],
  ["pywa/message__referral", "text", /./],
  ["meta-docs-examples/text__ex2", "text", /./],
  ["pywa/message__order", "order", "[order]"],
  ["pywa/message__unsupported", "unsupported", "[unsupported message"],
  ["pywa/message__unsupported_with_type", "unsupported", "[unsupported message:"],
  ["meta-docs-examples/unsupported__ex1", "unsupported", "[unsupported message"],
  ["pywa/message__interactive_message_with_err", "interactive", "[interactive]"],
  ["pywa/system__phone_number_change", "system", "[system]"],
  ["pywa/system__identity_change", "system", "[system]"],
  ["meta-docs-examples/system__ex2", "system", "[system]"],
  ["pywa/deleted_message__revoke", "revoke", "[revoke]"],
  ["pywa/edited_message__image", "edit", "[edit]"],
  ["pywa/flow_completion__completion", "interactive", "[form reply]"],
  ["pywa/call_permission_update__accept", "interactive", "[interactive call_permission_reply]"],
];

const WHATSAPP_STATUSES = [
  "pywa/message_status__sent",
  "pywa/message_status__delivered",
  "pywa/message_status__read",
  "pywa/message_status__played",
  "pywa/message_status__failed",
  "pywa/message_status__group",
  "pywa/message_status__with_tracker",
  "meta-docs-examples/status__ex1",
  "meta-docs-examples/status__ex2",
  "meta-docs-examples/status__ex3",
  "meta-docs-examples/messages__ex1",
  "meta-docs-examples/business-scoped-user-ids__ex2",
  "meta-docs-examples/business-scoped-user-ids__ex3",
];

// Webhooks that carry no inbound message for a lead: accepted (200) and ignored.
const WHATSAPP_OTHER = [
  "pywa/account_update__account_deleted",
  "pywa/template_status_update__approved",
  "pywa/outgoing_message__text",
  "meta-docs-examples/webhooks__ex1",
];

const TELEGRAM_UPDATES = [
  "callback_query_with_message",
  "contact_request_contact_private__DERIVED",
  "contact_shared_in_supergroup",
  "group_supergroup_command_reply",
  "group_supergroup_pinned_message",
  "group_supergroup_text_message",
  "message_start_deeplink__DERIVED",
  "my_chat_member_bot_blocked_by_user",
  "official_callback_query_inline_message",
  "official_edited_message",
  "official_message_document",
  "official_message_forwarded",
  "official_message_reply",
  "official_message_start",
  "official_message_start_minimal",
  "official_message_voice",
  "private_text_message",
  "private_text_message_2",
];

describe.skipIf(!available)("conformance: third-party payloads in ../shared/fixtures", () => {
  it("every WhatsApp message type creates a lead, then is a message event on it, with its type and text", async () => {
    const num = await workspaceWithNumber();
    for (const [name, type, text] of WHATSAPP_MESSAGES) {
      const wa = uniqueWaId();
      const fixture = await shared(`whatsapp/${name}`);
      expect((await postWebhook(num, retarget(fixture, num, { waId: wa }, uniqueSuffix()))).status, name).toBe(200);
      expect((await postWebhook(num, retarget(fixture, num, { waId: wa }, uniqueSuffix()))).status, name).toBe(200);
      const leads = (await waLeads(num.ws.id)).filter((l) => l.whatsapp_id === wa);
      expect(leads, name).toHaveLength(1);
      const message = (await waEvents(leads[0]!.id)).find((e) => e.type === "message")!;
      expect(message.data.type, name).toBe(type);
      if (typeof text === "string") expect(message.data.text, name).toContain(text);
      else expect(message.data.text, name).toMatch(text);
    }
  });

  it("every WhatsApp status is recorded once; other fields are accepted and create nothing", async () => {
    const num = await workspaceWithNumber();
    for (const name of WHATSAPP_STATUSES) {
      const res = await postWebhook(num, retarget(await shared(`whatsapp/${name}`), num, {}, uniqueSuffix()));
      expect(res.status, name).toBe(200);
      expect(res.json.statuses, name).toBe(1);
    }
    for (const name of WHATSAPP_OTHER) {
      expect((await postWebhook(num, await shared(`whatsapp/${name}`))).status, name).toBe(200);
    }
    expect(await waLeads(num.ws.id)).toHaveLength(0);
  });

  it("every Telegram update is answered 200, and its replay too", async () => {
    const bot = await workspaceWithBot();
    for (const name of TELEGRAM_UPDATES) {
      const update = retargetUpdate(await shared(`telegram/${name}`), uniqueChatId(), nextUpdateId());
      expect((await postUpdate(bot, update, bot.secret)).status, name).toBe(200);
      expect((await postUpdate(bot, update, bot.secret)).status, name).toBe(200);
    }
  });
});
