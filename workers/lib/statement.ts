import type { InStatement, InValue } from "@libsql/client/web";

/** A statement with only the named args its SQL references: libSQL servers (sqld too) reject unused ones. */
export function stmt(sql: string, args: Record<string, InValue>): InStatement {
  const used = new Set([...sql.matchAll(/:([A-Za-z]\w*)/g)].map((m) => m[1]!));
  return { sql, args: Object.fromEntries(Object.entries(args).filter(([k]) => used.has(k))) };
}
