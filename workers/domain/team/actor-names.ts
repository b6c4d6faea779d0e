import { eq } from "drizzle-orm";
import { apiKey, person } from "../../../db/schema";
import type { DomainContext } from "../context";

/** Person and API key ids → how a timeline names them ("Ana Souza", "key “CRM sync”"). */
export async function actorNames(ctx: DomainContext, workspaceId: string): Promise<Map<string, string>> {
  const { db } = ctx.database;
  const [people, keys] = await db.batch([
    db.select({ id: person.id, name: person.name }).from(person).where(eq(person.workspaceId, workspaceId)),
    db.select({ id: apiKey.id, name: apiKey.name }).from(apiKey).where(eq(apiKey.workspaceId, workspaceId)),
  ]);
  return new Map([
    ...people.map((p) => [p.id, p.name] as const),
    ...keys.map((k) => [k.id, `key “${k.name}”`] as const),
  ]);
}
