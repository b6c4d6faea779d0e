import { type CountryCode, type MetadataJson, parsePhoneNumberFromString as parseWith } from "libphonenumber-js/core";
import leanMetadata from "./phone-metadata.json";

// libphonenumber's "min" metadata without formatting rules (scripts/phone-metadata.ts): a smaller Worker.
const metadata = leanMetadata as unknown as MetadataJson;
const parsePhoneNumberFromString = (text: string, defaultCountry?: CountryCode) =>
  parseWith(text, { defaultCountry }, metadata);

/** E.164 (`+14155550123`) or null when the input is not a valid number. */
export function normalizePhone(input: string, defaultCountry: string): string | null {
  const trimmed = input.trim();
  if (!/\d/.test(trimmed) || trimmed.length > 40) return null;
  // "00" is the international prefix in most of the world; libphonenumber only knows "+".
  const withPlus = trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(withPlus, defaultCountry.toUpperCase() as CountryCode);
  if (!parsed?.isValid()) return null;
  return parsed.number;
}

/** Country (ISO alpha-2) of an E.164 number, for routing rules. */
export function phoneCountry(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
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
