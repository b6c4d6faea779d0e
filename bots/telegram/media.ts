import type { Message } from "grammy/types";

/** What a prospect's message holds, as the timeline stores it and the relay shows it. */
export interface InboundContent {
  /** The text, or a one-line description of the media with its caption: what the dashboard shows. */
  text: string;
  /** The relay header's first word(s): "Message", "Photo", "Voice message", … */
  label: string;
  /** Caption or text to repeat in the relay ("" for none). */
  body: string;
  /** Media facts kept on the event: the file_id lets anyone with the bot token fetch it later (getFile). */
  media: Record<string, string | number> | null;
  /**
   * How the rep sees it: `text` (fully described in words), `copy` (copyMessage with the header as its
   * caption), `copy+header` (kinds Telegram copies but will not caption — stickers, round videos — get a
   * header message of their own).
   */
  relay: "text" | "copy" | "copy+header";
}

// Captions are limited to 1,024 characters; the header takes some of them.
const CAPTION_MAX = 900;

const clip = (s: string | undefined, max: number) => (s ?? "").slice(0, max);

/** The content of a prospect's message, or null for what is not a message from them (service messages). */
export function inboundContent(m: Message): InboundContent | null {
  const caption = clip(m.caption, CAPTION_MAX);
  const described = (kind: string, detail = "") =>
    `[${kind}${detail ? ` ${detail}` : ""}]${caption ? ` ${caption}` : ""}`;
  const copy = (label: string, kind: string, media: Record<string, string | number>, detail = ""): InboundContent => ({
    text: described(kind, detail),
    label,
    body: caption,
    media: { type: kind, ...media },
    relay: "copy",
  });
  if (m.text !== undefined)
    return { text: clip(m.text, 5000), label: "Message", body: clip(m.text, 3500), media: null, relay: "text" };
  if (m.photo?.length) {
    // Telegram lists the sizes smallest first; the largest is what a person would open.
    const p = m.photo[m.photo.length - 1]!;
    return copy("Photo", "photo", { fileId: p.file_id, width: p.width, height: p.height });
  }
  // An animation also carries a `document`: checked first.
  if (m.animation) return copy("GIF", "animation", { fileId: m.animation.file_id, duration: m.animation.duration });
  if (m.video)
    return copy("Video", "video", { fileId: m.video.file_id, duration: m.video.duration }, `${m.video.duration}s`);
  if (m.voice)
    return copy(
      "Voice message",
      "voice",
      { fileId: m.voice.file_id, duration: m.voice.duration },
      `${m.voice.duration}s`,
    );
  if (m.audio)
    return copy("Audio", "audio", {
      fileId: m.audio.file_id,
      duration: m.audio.duration,
      ...(m.audio.title ? { title: m.audio.title } : {}),
    });
  if (m.document) {
    const d = m.document;
    return copy(
      "Document",
      "document",
      {
        fileId: d.file_id,
        ...(d.file_name ? { fileName: d.file_name } : {}),
        ...(d.mime_type ? { mimeType: d.mime_type } : {}),
      },
      d.file_name ?? "",
    );
  }
  if (m.sticker) {
    const emoji = m.sticker.emoji ?? "";
    return {
      text: `[sticker${emoji ? ` ${emoji}` : ""}]`,
      label: "Sticker",
      body: emoji,
      media: { type: "sticker", fileId: m.sticker.file_id, ...(emoji ? { emoji } : {}) },
      relay: "copy+header",
    };
  }
  if (m.video_note) {
    const n = m.video_note;
    return {
      text: `[round video ${n.duration}s]`,
      label: "Round video",
      body: "",
      media: { type: "video_note", fileId: n.file_id, duration: n.duration },
      relay: "copy+header",
    };
  }
  if (m.venue) {
    const v = m.venue;
    const where = `${v.title}, ${v.address} https://maps.google.com/?q=${v.location.latitude},${v.location.longitude}`;
    return {
      text: `[venue] ${where}`,
      label: "Place",
      body: where,
      media: { type: "venue", latitude: v.location.latitude, longitude: v.location.longitude, title: v.title },
      relay: "text",
    };
  }
  if (m.location) {
    const { latitude, longitude } = m.location;
    const where = `https://maps.google.com/?q=${latitude},${longitude}`;
    return {
      text: `[location] ${latitude}, ${longitude}`,
      label: "Location",
      body: where,
      media: { type: "location", latitude, longitude },
      relay: "text",
    };
  }
  if (m.contact) {
    // Someone else's card (their own number arrives through the contact step instead).
    const c = m.contact;
    const card = `${[c.first_name, c.last_name].filter(Boolean).join(" ")} ${c.phone_number}`;
    return {
      text: `[contact card] ${card}`,
      label: "Contact card",
      body: card,
      media: { type: "contact", phone: c.phone_number },
      relay: "text",
    };
  }
  if (m.poll)
    return {
      text: `[poll] ${m.poll.question}`,
      label: "Poll",
      body: m.poll.question,
      media: { type: "poll" },
      relay: "text",
    };
  if (m.dice)
    return {
      text: `[dice ${m.dice.emoji} ${m.dice.value}]`,
      label: "Dice",
      body: `${m.dice.emoji} ${m.dice.value}`,
      media: { type: "dice" },
      relay: "text",
    };
  return null;
}
