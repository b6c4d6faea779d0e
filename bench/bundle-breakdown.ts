/**
 * Where the Worker bundle's bytes come from (bench/README.md "Libraries' floor and our own code"):
 * `node --import tsx bench/bundle-breakdown.ts`. Builds with esbuild as wrangler does (minified, workerd
 * conditions, the zod alias of wrangler.toml) six ways: the Worker; our code with every package left out; the
 * libraries alone, as every value import of a package our code makes, re-exported from one generated entry; that
 * floor again without each library in turn; the start-up paths alone (the owner app left out); and the owner app
 * alone, the other half of such a split.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type BuildOptions, type BuildResult, build, type Plugin } from "esbuild";

const common = {
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "neutral",
  minify: true,
  write: false,
  metafile: true,
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  external: ["node:*", "cloudflare:*"],
  alias: { zod: "./workers/lib/zod-lean.ts" },
  logLevel: "error",
} satisfies BuildOptions;

type Built = Pick<BuildResult<{ write: false; metafile: true }>, "outputFiles" | "metafile">;
const gzipBytes = (r: Built) => gzipSync(r.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).length;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const sizes = (r: Built) => `${kib(r.outputFiles[0]?.contents.length ?? 0)} minified / ${kib(gzipBytes(r))} gzip`;

// Every bare import (a package) left out of the bundle.
const packagesOut: Plugin = {
  name: "packages-out",
  setup: (b) => b.onResolve({ filter: /^[^./]/ }, (a) => ({ path: a.path, external: true })),
};
// The owner app (owner API, console, OpenAPI document) replaced by nothing.
const ownerAppOut: Plugin = {
  name: "owner-app-out",
  setup(b) {
    b.onResolve({ filter: /\/owner-app$/ }, () => ({ path: "owner-app", namespace: "left-out" }));
    b.onLoad({ filter: /.*/, namespace: "left-out" }, () => ({
      contents: "export function createOwnerApp() { throw new Error('left out'); }",
      loader: "js",
    }));
  },
};

/** `export { x as n1 } from "pkg"` for every value our code imports from a package (type-only imports skipped). */
function libraryImports(ours: string[]): string[] {
  const lines = new Set<string>();
  let n = 0;
  for (const file of ours) {
    const source = readFileSync(file, "utf8");
    for (const [, what = "", pkg] of source.matchAll(/import\s+(?!type\b)([^;]*?)\s+from\s+"([^."][^"]*)"/gs)) {
      if (/^[A-Za-z_$][\w$]*\s*(,|$)/.test(what)) lines.add(`export { default as d${n++} } from "${pkg}";`);
      const ns = what.match(/\*\s+as\s+[\w$]+/);
      if (ns) lines.add(`export * as ns${n++} from "${pkg}";`);
      for (const part of what.match(/\{([^}]*)\}/)?.[1]?.split(",") ?? []) {
        const name = part
          .trim()
          .split(/\s+as\s+/)[0]
          ?.trim();
        if (name && !name.startsWith("type ")) lines.add(`export { ${name} as n${n++} } from "${pkg}";`);
      }
    }
  }
  return [...lines];
}

// Under the project (bench/out is git-ignored), so the generated entries resolve packages from its node_modules.
mkdirSync("bench/out", { recursive: true });
const dir = mkdtempSync(join("bench/out", "breakdown-"));
try {
  const entryOf = (lines: string[], name: string) => {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, lines.join("\n"));
    return file;
  };
  const worker = await build({ ...common, entryPoints: ["workers/index.ts"] });
  console.log(`the Worker: ${sizes(worker)}`);
  const own = await build({ ...common, alias: {}, entryPoints: ["workers/index.ts"], plugins: [packagesOut] });
  console.log(`our code alone: ${sizes(own)}`);

  const ours = Object.keys(worker.metafile.inputs).filter(
    (p) => p.endsWith(".ts") && !p.includes("node_modules") && !p.startsWith("workers/lib/zod-"),
  );
  const imports = libraryImports(ours);
  const floor = await build({ ...common, entryPoints: [entryOf(imports, "floor")] });
  console.log(`the libraries alone (${imports.length} imports): ${sizes(floor)}`);
  const families: Record<string, RegExp> = {
    "zod, @hono/zod-openapi": /^(zod|@hono\/zod-openapi)/,
    "hono, zod, @hono/zod-openapi": /^(hono|zod|@hono)/,
    grammy: /^grammy/,
    "drizzle-orm": /^drizzle-orm/,
    "drizzle-orm, @libsql/client": /^(drizzle-orm|@libsql)/,
    "libphonenumber-js": /^libphonenumber-js/,
    "all but libphonenumber-js": /^(?!libphonenumber-js)/,
  };
  for (const [name, family] of Object.entries(families)) {
    const kept = imports.filter((line) => !family.test(line.match(/from "([^"]+)"/)?.[1] ?? ""));
    const without = await build({ ...common, entryPoints: [entryOf(kept, "without")] });
    console.log(`  without ${name}: ${sizes(without)} (−${kib(gzipBytes(floor) - gzipBytes(without))} gzip)`);
  }

  const startUp = await build({ ...common, entryPoints: ["workers/index.ts"], plugins: [ownerAppOut] });
  console.log(`the start-up paths alone: ${sizes(startUp)}`);
  const startUpOwn = await build({
    ...common,
    alias: {},
    entryPoints: ["workers/index.ts"],
    plugins: [ownerAppOut, packagesOut],
  });
  console.log(`  of which our code: ${sizes(startUpOwn)}`);

  // The other half of a two-Worker split: what the start-up paths leave out, built on its own.
  const ownerEntry = entryOf([`export { createOwnerApp } from "../../../workers/http/owner-app";`], "owner-app");
  const ownerApp = await build({ ...common, entryPoints: [ownerEntry] });
  console.log(`the owner app alone (owner API, console, OpenAPI document): ${sizes(ownerApp)}`);
  const ownerAppOwn = await build({ ...common, alias: {}, entryPoints: [ownerEntry], plugins: [packagesOut] });
  console.log(`  of which our code: ${sizes(ownerAppOwn)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
