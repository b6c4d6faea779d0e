import { type CountryCode, type MetadataJson, parsePhoneNumberFromString as parseWith } from "libphonenumber-js/core";
import leanMetadata from "./phone-metadata.json";

// libphonenumber's "min" metadata without formatting rules (scripts/phone-metadata.ts): a smaller Worker.
const metadata = leanMetadata as unknown as MetadataJson;
const parsePhoneNumberFromString = (text: string, defaultCountry?: CountryCode) =>
  parseWith(text, { defaultCountry }, metadata);

// One capture asks about the same number up to three times (a channel checks the number it got, the capture
// normalizes it, routing wants its country), and each parse walks libphonenumber's metadata and builds its regexes:
// 4 % of the Worker isolate's CPU profile of the WhatsApp speed-to-lead run. The answers depend on nothing but
// their arguments, so they are kept per isolate; bounded (cleared when full), whatever the inputs.
const PARSES_KEPT = 1000;
const normalized = new Map<string, string | null>();
const countries = new Map<string, string | null>();

function kept<T>(map: Map<string, T>, key: string, value: T): T {
  if (map.size >= PARSES_KEPT) map.clear();
  map.set(key, value);
  return value;
}

/** E.164 (`+14155550123`) or null when the input is not a valid number. */
export function normalizePhone(input: string, defaultCountry: string): string | null {
  const key = `${defaultCountry}\n${input}`;
  const known = normalized.get(key);
  if (known !== undefined) return known;
  const trimmed = input.trim();
  if (!/\d/.test(trimmed) || trimmed.length > 40) return kept(normalized, key, null);
  // "00" is the international prefix in most of the world; libphonenumber only knows "+".
  const withPlus = trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(withPlus, defaultCountry.toUpperCase() as CountryCode);
  if (!parsed?.isValid()) return kept(normalized, key, null);
  // Typed as E.164 already: parsing it again without a default country (phoneCountry) reads the same digits the
  // same way (the default country only matters to a number without its "+"), so its country is known too.
  if (withPlus === parsed.number) kept(countries, parsed.number, parsed.country ?? null);
  return kept(normalized, key, parsed.number);
}

/** Country (ISO alpha-2) of an E.164 number, for routing rules. */
export function phoneCountry(e164: string): string | null {
  const known = countries.get(e164);
  if (known !== undefined) return known;
  return kept(countries, e164, parsePhoneNumberFromString(e164)?.country ?? null);
}

const EMAIL = /^[^\s@"<>()[\],;:]+@[^\s@"<>()[\],;:]+\.[^\s@"<>()[\],;:]{2,}$/u;

/**
 * Trimmed and lower-cased, or null when it is not an address. Case is ignored by every real mailbox for dedup purposes.
 */
export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) return null;
  return email;
}
