import type { InStatement, InValue } from "@libsql/client/web";

// The named args each SQL text references. The texts are the same few hundred built by the code, so scanning
// each once per isolate is enough; scanning every capture's long statements was a twentieth of its Worker CPU.
const namesBySql = new Map<string, string[]>();
const NAMES_KEPT = 2000;

function namesIn(sql: string): string[] {
  let names = namesBySql.get(sql);
  if (!names) {
    names = [...new Set([...sql.matchAll(/:([A-Za-z]\w*)/g)].map((m) => m[1]!))];
    // A text with a value spliced in would make every call new: bounded, whatever the callers do.
    if (namesBySql.size >= NAMES_KEPT) namesBySql.clear();
    namesBySql.set(sql, names);
  }
  return names;
}

/** A statement with only the named args its SQL references: libSQL servers (sqld too) reject unused ones. */
export function stmt(sql: string, args: Record<string, InValue>): InStatement {
  const used: Record<string, InValue> = {};
  for (const name of namesIn(sql)) if (Object.hasOwn(args, name)) used[name] = args[name]!;
  return { sql, args: used };
}
