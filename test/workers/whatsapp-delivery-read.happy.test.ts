import type { InArgs } from "@libsql/client/web";
import { describe, expect, it } from "vitest";
import { deliveryReadResults, deliveryReads } from "../../bots/whatsapp/delivery-read";
import { seedWorkspace, testDb } from "../support/workers/harness";

let n = 0;
const unique = () => `${Date.now()}${n++}`;

/** A WhatsApp channel row of the workspace (the reads need only its workspace). */
async function channelOf(workspaceId: string) {
  const id = `ch_read${unique()}`;
  await testDb().execute({
    sql: `INSERT INTO channel (id, workspace_id, kind, config, created_at) VALUES (?, ?, 'whatsapp', '{}', 0)`,
    args: [id, workspaceId],
  });
  return id;
}

describe("a WhatsApp delivery's reads", () => {
  it("find the senders leads know by wa_id or BSUID, and nobody else's", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const other = await seedWorkspace({ reps: [] });
    const channel = await channelOf(ws.id);
    const [wa, bsuid, stranger] = [`1555${unique()}`.slice(0, 15), `US.${unique()}`, `1444${unique()}`.slice(0, 15)];
    const lead = async (workspaceId: string, kind: string, address: string) => {
      const id = `lead_read${unique()}`;
      await testDb().batch(
        [
          {
            sql: `INSERT INTO lead (id, workspace_id, source, status, fields, last_inbound_at, created_at, updated_at)
                  VALUES (?, ?, 'whatsapp', 'new', '{}', 0, 0, 0)`,
            args: [id, workspaceId],
          },
          {
            sql: `INSERT INTO lead_identity (workspace_id, kind, address, lead_id, created_at) VALUES (?, ?, ?, ?, 0)`,
            args: [workspaceId, kind, address, id],
          },
        ],
        "write",
      );
    };
    await lead(ws.id, "whatsapp", wa);
    await lead(ws.id, "whatsapp-user", bsuid);
    // The same address in another workspace, and a BSUID stored under the wa_id's kind: neither is this sender's.
    await lead(other.id, "whatsapp", stranger);
    await lead(ws.id, "whatsapp", `US.${stranger}`);

    const messages = [
      { id: "wamid.1", from: wa, fromUserId: null },
      { id: "wamid.2", from: null, fromUserId: bsuid },
      { id: "wamid.3", from: stranger, fromUserId: `US.${stranger}` },
    ];
    const read = deliveryReadResults(await testDb().batch(deliveryReads(channel, messages), "read"));
    expect([...read.known].sort()).toEqual([`whatsapp-user:${bsuid}`, `whatsapp:${wa}`].sort());
  });

  it("look each sender up by the identity key, whatever the workspace's number of leads", async () => {
    const [, , identities] = deliveryReads("ch_x", [{ id: "wamid.1", from: "15550001", fromUserId: "US.1" }]) as {
      sql: string;
      args: InArgs;
    }[];
    const plan = await testDb().execute({ sql: `EXPLAIN QUERY PLAN ${identities!.sql}`, args: identities!.args });
    const steps = plan.rows.map((r) => String(r.detail)).filter((d) => d.includes("lead_identity"));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(step).toMatch(/^SEARCH .*\(workspace_id=\? AND kind=\? AND address=\?\)$/);
  });
});
