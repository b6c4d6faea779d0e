/**
 * A WhatsApp message of any type as LeadRelay records it: a one-line `text` for the timeline and the rep,
 * plus the parts we act on (reply ids of buttons and lists, media ids, the ad that started the chat).
 * Types we do not know (Meta adds them) are still described by their type, and the raw message is kept
 * on the event, so nothing the prospect sent is lost.
 */
export interface DescribedMessage {
  type: string;
  text: string;
  /** interactive button_reply / list_reply id, or a quick-reply button's payload. */
  replyId: string | null;
  /** The id of our message this one answers (context.id), when it is a reply. */
  contextId: string | null;
  media: {
    kind: string;
    id: string | null;
    mimeType: string | null;
    filename: string | null;
    caption: string | null;
  } | null;
  referral: Referral | null;
}

export interface Referral {
  sourceUrl: string | null;
  sourceId: string | null;
  sourceType: string | null;
  headline: string | null;
  ctwaClid: string | null;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null =>
  typeof v === "string" && v.trim() !== "" ? v : typeof v === "number" ? String(v) : null;

const MEDIA = new Set(["image", "video", "audio", "document", "sticker"]);

export function describeMessage(raw: Obj): DescribedMessage {
  const type = str(raw.type) ?? "unknown";
  const context = obj(raw.context);
  const out: DescribedMessage = {
    type,
    text: `[${type}]`,
    replyId: null,
    contextId: str(context.id),
    media: null,
    referral: null,
  };
  const body = obj(raw[type]);
  if (type === "text") {
    out.text = str(body.body) ?? "";
  } else if (type === "interactive") {
    const kind = str(body.type);
    const reply = obj(kind ? body[kind] : undefined);
    out.replyId = str(reply.id);
    out.text =
      str(reply.title) ??
      (kind === "nfm_reply"
        ? `[form reply] ${str(reply.response_json) ?? ""}`.trim()
        : `[interactive${kind ? ` ${kind}` : ""}]`);
  } else if (type === "button") {
    out.replyId = str(body.payload);
    out.text = str(body.text) ?? str(body.payload) ?? "[button]";
  } else if (MEDIA.has(type)) {
    const caption = str(body.caption);
    const filename = str(body.filename);
    out.media = { kind: type, id: str(body.id), mimeType: str(body.mime_type), filename, caption };
    const label = type === "audio" && body.voice === true ? "voice message" : type;
    out.text = `[${label}${filename ? ` ${filename}` : ""}]${caption ? ` ${caption}` : ""}`;
  } else if (type === "location") {
    const where = [str(body.name), str(body.address)].filter(Boolean).join(", ");
    out.text = `[location] ${where ? `${where} ` : ""}(${str(body.latitude) ?? "?"}, ${str(body.longitude) ?? "?"})`;
  } else if (type === "contacts") {
    const cards = Array.isArray(raw.contacts) ? raw.contacts.map(obj) : [];
    const list = cards.map((c) => {
      const name = str(obj(c.name).formatted_name) ?? "?";
      const phones = Array.isArray(c.phones) ? c.phones.map((p) => str(obj(p).phone)).filter(Boolean) : [];
      return phones.length ? `${name} ${phones.join(" / ")}` : name;
    });
    out.text = `[contact card] ${list.join("; ")}`;
  } else if (type === "reaction") {
    const emoji = str(body.emoji);
    out.contextId = str(body.message_id);
    out.text = emoji ? `[reaction ${emoji}]` : "[reaction removed]";
  } else if (type === "order") {
    const items = Array.isArray(body.product_items) ? body.product_items.map(obj) : [];
    const list = items.map((i) => `${str(i.quantity) ?? "1"}\u00d7 ${str(i.product_retailer_id) ?? "?"}`).join(", ");
    out.text = `[order] ${list}${str(body.text) ? ` ${str(body.text)}` : ""}`;
  } else if (type === "system") {
    out.text = `[system] ${str(body.body) ?? str(body.type) ?? ""}`.trim();
  } else if (type === "unsupported") {
    out.text = `[unsupported message${str(body.type) ? `: ${str(body.type)}` : ""}]`;
  }
  const referral = obj(raw.referral);
  if (Object.keys(referral).length > 0) {
    out.referral = {
      sourceUrl: str(referral.source_url),
      sourceId: str(referral.source_id),
      sourceType: str(referral.source_type),
      headline: str(referral.headline),
      ctwaClid: str(referral.ctwa_clid),
    };
  }
  return out;
}
