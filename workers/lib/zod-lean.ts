// zod's classic API without `z.locales`, which the bundle aliases in place of "zod" (wrangler.toml
// [alias]). @hono/zod-openapi hands the whole `z` namespace to extendZodWithOpenApi(z), so esbuild
// cannot shake any of its members: the 64 locale files (260 KiB, none used; messages are English,
// registered by zod's schemas.js itself) came along, and so did the schema compiler and fromJSONSchema
// (43 KiB), which nothing here calls. Everything else is zod's own external.js, unchanged.
// Type-checking still resolves "zod" to the real package.
import * as z from "./zod-classic-lean";

export * from "./zod-classic-lean";
// As zod's own index: `z` and the default export are the namespace itself.
export { z, z as default };
