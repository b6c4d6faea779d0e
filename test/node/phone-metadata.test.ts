// The Worker parses phone numbers with trimmed metadata (scripts/phone-metadata.ts); it must agree with
// the library's own "min" metadata on everything the Worker reads: validity, E.164 and country.

import { readFileSync } from "node:fs";
import { type CountryCode, parsePhoneNumberFromString as withMin } from "libphonenumber-js";
import examples from "libphonenumber-js/examples.mobile.json";
import { describe, expect, it } from "vitest";
import { leanPhoneMetadata, PHONE_METADATA_FILE } from "../../scripts/phone-metadata";
import { normalizePhone, phoneCountry } from "../../workers/lib/contact";

function viaMin(input: string, country: string): string | null {
  const withPlus = input.startsWith("00") ? `+${input.slice(2)}` : input;
  const parsed = withMin(withPlus, country as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

describe("lean phone metadata", () => {
  it("is what the generator makes from the installed libphonenumber-js", () => {
    expect(JSON.parse(readFileSync(PHONE_METADATA_FILE, "utf8"))).toEqual(leanPhoneMetadata());
  });

  it("agrees with the min metadata on every country's example number and variants of it", () => {
    let checked = 0;
    for (const [country, national] of Object.entries(examples as Record<string, string>)) {
      const e164 = withMin(national, country as CountryCode)?.number ?? "";
      const variants = [national, `0${national}`, national.slice(0, -1), `${national}1`, e164, `00${e164.slice(1)}`];
      for (const input of variants) {
        for (const defaultCountry of [country, "US", "DE", "IN"]) {
          expect(normalizePhone(input, defaultCountry), `${input} in ${defaultCountry}`).toBe(
            viaMin(input, defaultCountry),
          );
          checked++;
        }
      }
      if (e164) expect(phoneCountry(e164)).toBe(withMin(e164)?.country ?? null);
    }
    expect(checked).toBeGreaterThan(4_000);
  });
});
