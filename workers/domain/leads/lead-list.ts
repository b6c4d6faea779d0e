import { and, asc, desc, eq, isNull, type SQL, sql } from "drizzle-orm";
import { lead } from "../../../db/schema";
import type { Scope } from "../context";
import type { Lead } from "./lead-row";
import { type LeadFilter, leadConditions } from "./leads";

export const LEAD_SORTS = { newest: "Newest", score: "Highest score", waiting: "Waiting longest" } as const;
export type LeadSort = keyof typeof LEAD_SORTS;

export interface ConsoleLeadFilter extends Omit<LeadFilter, "limit" | "cursor"> {
  hot?: boolean | undefined;
  /** Open leads nobody has answered yet. */
  waiting?: boolean | undefined;
  sort: LeadSort;
  page: number;
  pageSize: number;
}

const ORDER: Record<LeadSort, SQL[]> = {
  newest: [desc(lead.createdAt), desc(lead.id)],
  score: [sql`${lead.score} IS NULL`, desc(lead.score), desc(lead.createdAt), desc(lead.id)],
  // Unanswered leads first, the oldest of them on top; answered ones after.
  waiting: [sql`${lead.firstResponseAt} IS NOT NULL`, asc(lead.createdAt), asc(lead.id)],
};

/**
 * The console's lead list: the API's filters plus hot and waiting, a sort, numbered pages (people jump
 * between pages; the API's cursor suits machines) and the total, in one round trip.
 */
export async function listLeadsPage({ ctx, workspace }: Scope, f: ConsoleLeadFilter) {
  const where = leadConditions(workspace.id, f);
  if (f.hot) where.push(sql`${lead.hot} = 1`);
  if (f.waiting) where.push(isNull(lead.firstResponseAt), sql`${lead.status} = 'new'`);
  const { db } = ctx.database;
  const [rows, total] = await db.batch([
    db
      .select()
      .from(lead)
      .where(and(...where))
      .orderBy(...ORDER[f.sort])
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db
      .select({ n: sql<number>`count(*)` })
      .from(lead)
      .where(and(...where)),
  ]);
  return { leads: rows, total: Number(total[0]?.n ?? 0) };
}

/** What a board card shows; the rest of the row (fields, UTM, message) stays in the database. */
export type BoardCard = Pick<Lead, "id" | "name" | "hot" | "ownerRepId" | "createdAt">;

/** The board: the newest `perColumn` leads of each status, every column in one round trip. */
export async function listBoardColumns<S extends string>(
  { ctx, workspace }: Scope,
  statuses: readonly S[],
  perColumn: number,
): Promise<Record<S, BoardCard[]>> {
  const { db } = ctx.database;
  const query = (status: S) =>
    db
      .select({ id: lead.id, name: lead.name, hot: lead.hot, ownerRepId: lead.ownerRepId, createdAt: lead.createdAt })
      .from(lead)
      .where(and(eq(lead.workspaceId, workspace.id), eq(lead.status, status as Lead["status"])))
      .orderBy(desc(lead.createdAt), desc(lead.id))
      .limit(perColumn);
  const [first, ...rest] = statuses.map(query);
  const columns = first ? await db.batch([first, ...rest]) : [];
  return Object.fromEntries(statuses.map((s, i) => [s, columns[i] ?? []])) as Record<S, BoardCard[]>;
}
