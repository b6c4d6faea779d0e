import type { InStatement } from "@libsql/client/web";
import { describe, expect, it } from "vitest";
import { captureLead } from "../../workers/domain/capture/capture-lead";
import type { DomainContext } from "../../workers/domain/context";
import type { RepJson } from "../support/response-json";
import { call, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { addTelegramChannel, domainContext, uniqueChatId } from "../support/workers/outbox-harness";

/** A context whose write batches are recorded, each as the kinds of rep message its statements would write. */
function recording(): { ctx: DomainContext; repMessageKinds: unknown[][] } {
  const ctx = domainContext();
  const repMessageKinds: unknown[][] = [];
  const { client } = ctx.database;
  const batch = client.batch.bind(client);
  client.batch = (async (statements: InStatement[], mode?: Parameters<typeof client.batch>[1]) => {
    repMessageKinds.push(
      statements.flatMap((s) => {
        const args = typeof s === "string" ? undefined : (s.args as Record<string, unknown> | undefined);
        return args && "rmKind" in args ? [args.rmKind] : [];
      }),
    );
    return batch(statements, mode);
  }) as typeof client.batch;
  return { ctx, repMessageKinds };
}

async function alertsOf(workspaceId: string) {
  const rs = await testDb().execute({
    sql: `SELECT recipient FROM outbox WHERE workspace_id = ? AND kind = 'rep_alert' ORDER BY id`,
    args: [workspaceId],
  });
  return rs.rows.map((r) => String(r.recipient));
}

describe("a capture's rep alert statements", () => {
  it("are left out when the current routing context says the owner has no address, and kept once they have one", async () => {
    const ws = await seedWorkspace({ reps: ["Ana"] });
    await addTelegramChannel(ws.id, {});
    const [ana] = ws.reps;
    const { ctx, repMessageKinds } = recording();
    const capture = () =>
      captureLead(
        { ctx, workspace: { id: ws.id, defaultCountry: "US" }, actor: { type: "api" } },
        { source: "api", email: uniqueEmail(), name: "Rae" },
      );

    // The first capture reads the routing context; the second decides on it, cached: Ana has no chat.
    expect((await capture()).assignment.ownerRepId).toBe(ana!.id);
    expect((await capture()).assignment.ownerRepId).toBe(ana!.id);
    expect(repMessageKinds.at(-1)).toEqual([]);
    expect(await alertsOf(ws.id)).toEqual([]);

    // Ana's chat id is set: the cached context is no longer current, so the next capture alerts her, and so does
    // the one after it, on the context read again.
    const chat = uniqueChatId();
    const patched = await call<RepJson>("PATCH", `/api/v1/reps/${ana!.id}`, {
      key: ws.key,
      body: { telegramChatId: chat },
    });
    expect(patched.status, patched.text).toBe(200);
    await capture();
    await capture();
    expect(repMessageKinds.at(-1)).toContain("rep_alert");
    expect(await alertsOf(ws.id)).toEqual([chat, chat]);
  });
});
