// Writes workers/lib/phone-metadata.json: libphonenumber-js's smallest official metadata ("min") without
// the formatting rules, which only formatting and as-you-type use. The Worker parses, validates and
// reads E.164 and the country, which need none of them: 83 KB of metadata becomes 33 KB.
// Run after upgrading libphonenumber-js: npx tsx scripts/phone-metadata.ts (a node test checks it).
import { writeFileSync } from "node:fs";
import type { MetadataJson } from "libphonenumber-js/core";
import min from "libphonenumber-js/metadata.min.json";

export const PHONE_METADATA_FILE = new URL("../workers/lib/phone-metadata.json", import.meta.url);

// Position of the `formats` list in a country's entry of the compressed metadata (version 4).
const FORMATS = 4;

export function leanPhoneMetadata(source: MetadataJson = min as MetadataJson): MetadataJson {
  const lean = structuredClone(source) as unknown as {
    countries: Record<string, unknown[]>;
    nonGeographic?: Record<string, unknown[]>;
  };
  for (const entry of [...Object.values(lean.countries), ...Object.values(lean.nonGeographic ?? {})])
    entry[FORMATS] = 0;
  return lean as unknown as MetadataJson;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(PHONE_METADATA_FILE, `${JSON.stringify(leanPhoneMetadata())}\n`);
  console.log(`wrote ${PHONE_METADATA_FILE.pathname}`);
}
