import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { IMPORTS_QUEUE, type ImportMessage } from "../../workers/domain/imports/import-queue";
import worker from "../../workers/index";
import { setDatabase } from "../support/workers/fault";
import { countRows, dashboardSession, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { postForm, upload } from "../support/workers/import-harness";
import { eventually } from "../support/workers/outbox-harness";

/** An import's status and its imported / merged / rejected counts. */
async function jobRow(id: string) {
  const rs = await testDb().execute({
    sql: `SELECT status, imported, merged, rejected FROM import_job WHERE id = ?`,
    args: [id],
  });
  const { status, imported, merged, rejected } = rs.rows[0]!;
  return { status: String(status), counts: [imported, merged, rejected].map(Number) };
}

async function count(sql: string, args: string[]): Promise<number> {
  return Number((await testDb().execute({ sql, args })).rows[0]!.n);
}

/** Timeline events written under an import's dedup keys: one per captured row. */
const importEvents = (workspaceId: string, jobId: string) =>
  count(`SELECT count(*) AS n FROM lead_event WHERE workspace_id = ? AND dedup_key LIKE ?`, [
    workspaceId,
    `import:${jobId}:%`,
  ]);

/** An import's rows no chunk has recorded an outcome for. */
const pendingRows = (jobId: string) =>
  count(`SELECT count(*) AS n FROM import_row WHERE job_id = ? AND state = 'pending'`, [jobId]);

/** One message reaching the imports consumer, as the queue would deliver it; what the consumer answered. */
async function consume(id: string, attempts: number, body: ImportMessage) {
  const batch = createMessageBatch<ImportMessage>(IMPORTS_QUEUE, [{ id, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** An uploaded CSV of `rows` new people (and one repeat), mapped, not started; its id and the console cookie. */
async function uploaded(rows: number) {
  const ws = await seedWorkspace();
  const { cookie } = await dashboardSession(ws.key);
  const emails = Array.from({ length: rows }, () => uniqueEmail());
  const lines = ["Name,Email", ...emails.map((e, i) => `Person ${i},${e}`), `Again,${emails[0]!.toUpperCase()}`];
  const id = await upload(cookie, `${lines.join("\n")}\n`);
  return { ws, cookie, id };
}

describe("imports queue", () => {
  it("a started import runs to the end without the page or a cron tick, every row once", async () => {
    // Three chunks of 200 and a last one: all but the first reach the consumer only as queued continuations.
    const { ws, cookie, id } = await uploaded(650);
    const start = await postForm(`/app/import/${id}`, cookie, {
      "col.0": "name",
      "col.1": "email",
      owner: "rotation",
      intent: "start",
    });
    expect(start.status).toBe(303);
    // Nothing here runs a chunk: no /run call (the page's script), no tick (the cron job).
    const done = await eventually(async () => {
      const job = await jobRow(id);
      expect(job.status).toBe("done");
      return job;
    }, 600);
    expect(done).toEqual({ status: "done", counts: [650, 1, 0] });
    expect(await count(`SELECT count(*) AS n FROM lead WHERE workspace_id = ? AND source = 'import'`, [ws.id])).toBe(
      650,
    );
    expect(await importEvents(ws.id, id)).toBe(651);
    expect(await pendingRows(id)).toBe(0);
  });

  it("a chunk whose writes lose their answers is retried, and every row still counts once", async () => {
    const { ws, id } = await uploaded(3);
    // Running, as if started, but with no chain of its own: only the messages below run it.
    await testDb().execute({ sql: `UPDATE import_job SET status = 'running' WHERE id = ?`, args: [id] });
    const deliver = (attempts: number) => consume(`try-${attempts}`, attempts, { jobId: id, workspaceId: ws.id });
    // The captures commit, but their answers are cut off: the chunk fails after writing.
    await setDatabase("drop-write-response");
    let failed: Awaited<ReturnType<typeof deliver>>;
    try {
      failed = await deliver(1);
    } finally {
      await setDatabase("up");
    }
    expect(failed.explicitAcks).toEqual([]);
    expect(failed.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["try-1"]);
    expect((await jobRow(id)).status).toBe("running");
    // What the failed try wrote stayed written.
    expect(await countRows(testDb(), "lead", ws.id)).toBeGreaterThan(0);

    // The retry: rows captured by the failed try are found by their dedup keys, not captured again.
    expect((await deliver(2)).explicitAcks).toEqual(["try-2"]);
    expect(await jobRow(id)).toEqual({ status: "done", counts: [3, 1, 0] });
    expect(await countRows(testDb(), "lead", ws.id)).toBe(3);
    expect(await importEvents(ws.id, id)).toBe(4);
  });

  it("a message naming an import of another workspace runs nothing", async () => {
    const victim = await uploaded(3);
    const other = await seedWorkspace();
    // Running, as if started, but with no chain of its own: only the crafted message below could run it.
    await testDb().execute({ sql: `UPDATE import_job SET status = 'running' WHERE id = ?`, args: [victim.id] });
    try {
      const result = await consume("forged", 1, { jobId: victim.id, workspaceId: other.id });
      expect(result.explicitAcks).toEqual(["forged"]);
      expect(result.retryMessages).toEqual([]);
      expect(await jobRow(victim.id)).toEqual({ status: "running", counts: [0, 0, 0] });
      expect(await pendingRows(victim.id)).toBe(4);
      for (const ws of [victim.ws, other]) {
        expect(await countRows(testDb(), "lead", ws.id)).toBe(0);
      }

      // The same message with the right workspace runs the import's chunk, and the import is done.
      const own = await consume("own", 1, { jobId: victim.id, workspaceId: victim.ws.id });
      expect(own.explicitAcks).toEqual(["own"]);
      expect(await jobRow(victim.id)).toEqual({ status: "done", counts: [3, 1, 0] });
    } finally {
      await testDb().execute({
        sql: `UPDATE import_job SET status = 'done' WHERE id = ? AND status = 'running'`,
        args: [victim.id],
      });
    }
  });
});
