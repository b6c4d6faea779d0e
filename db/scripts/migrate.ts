import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));

/** Applies the committed drizzle migrations; the same code path for the local server and Turso. */
export async function migrateDatabase(url: string, authToken?: string): Promise<void> {
  const client = createClient({ url, authToken });
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    client.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.env.LIBSQL_URL;
  if (!url) {
    console.error(
      "LIBSQL_URL is not set (e.g. http://127.0.0.1:8080 locally, libsql://<db>-<org>.turso.io for Turso).",
    );
    process.exit(2);
  }
  const started = Date.now();
  migrateDatabase(url, process.env.LIBSQL_AUTH_TOKEN || undefined).then(
    () => console.log(`migrations applied to ${new URL(url).host} in ${Date.now() - started} ms`),
    (err: unknown) => {
      console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
