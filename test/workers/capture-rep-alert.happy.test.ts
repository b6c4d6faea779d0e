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

async function alertedChats(workspaceId: string) {
  const rs = await testDb().execute({
    sql: `SELECT recipient FROM outbox WHERE workspace_id = ? AND kind = 'rep_alert' ORDER BY id`,
    args: [workspaceId],
  });
  return rs.rows.map((r) => String(r.recipient));
}

const setChat = async (key: string, repId: string, chat: string) => {
  const patched = await call<RepJson>("PATCH", `/api/v1/reps/${repId}`, { key, body: { telegramChatId: chat } });
  expect(patched.status, patched.text).toBe(200);
};

describe("a capture's rep alert statements", () => {
  it("are left out when the current routing context says the owner has no address, and kept for one who has", async () => {
    const ws = await seedWorkspace({ reps: ["Ana", "Ben"] });
    await addTelegramChannel(ws.id, {});
    const [ana, ben] = ws.reps.map((r) => r.id) as [string, string];
    const benChat = uniqueChatId();
    await setChat(ws.key, ben, benChat);
    const { ctx, repMessageKinds } = recording();
    const capture = async () => {
      const { assignment } = await captureLead(
        { ctx, workspace: { id: ws.id, defaultCountry: "US" }, actor: { type: "api" } },
        { source: "api", email: uniqueEmail(), name: "Rae" },
      );
      return { owner: assignment.ownerRepId, kinds: repMessageKinds.at(-1) };
    };

    // The first capture reads the routing context; the next ones decide on it, cached, and take turns: Ana has
    // no chat (no alert statements), Ben has one (his alert is written).
    await capture();
    const cached = [await capture(), await capture(), await capture()];
    expect(new Set(cached.map((c) => c.owner))).toEqual(new Set([ana, ben]));
    for (const c of cached) {
      if (c.owner === ana) expect(c.kinds).toEqual([]);
      else expect(c.kinds).toContain("rep_alert");
    }
    const benAlerts = (await alertedChats(ws.id)).length;
    expect(await alertedChats(ws.id)).toEqual(Array(benAlerts).fill(benChat));
    expect(benAlerts).toBeGreaterThanOrEqual(1);

    // Ana's chat id is set: the cached context is no longer current, so from the next capture on she is alerted too.
    const anaChat = uniqueChatId();
    await setChat(ws.key, ana, anaChat);
    for (let i = 0; i < 4; i++) await capture();
    const after = (await alertedChats(ws.id)).slice(benAlerts);
    expect(after.sort()).toEqual([anaChat, anaChat, benChat, benChat].sort());
  });
});
