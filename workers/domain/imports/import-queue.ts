import type { DomainContext, WorkspaceRef } from "../context";
import { runImportChunk } from "./run-import-chunk";

/** The imports queue's name in wrangler.toml; its consumer runs a running import's next chunk. */
export const IMPORTS_QUEUE = "leadrelay-imports";

export interface ImportMessage {
  jobId: string;
  workspaceId: string;
}

export type ImportsQueue = Queue<ImportMessage>;

// A chunk that failed on storage comes back after this; after the queue's retries the cron job goes on.
const RETRY_DELAY_S = 10;

/** Queues a running import's next chunk; a failure only leaves the import to the page and the cron job. */
export async function queueNextChunk(ctx: DomainContext, jobId: string, workspaceId: string): Promise<void> {
  if (!ctx.imports) return;
  try {
    await ctx.imports.send({ jobId, workspaceId });
  } catch (err) {
    console.error(
      JSON.stringify({ job: "imports.queueNextChunk", jobId, error: err instanceof Error ? err.message : String(err) }),
    );
  }
}

/**
 * Runs an import's next chunk, then queues the one after it while rows are left. A chunk that ran nothing found
 * the lease held: that runner goes on, so nothing is queued. Answers how many rows ran.
 */
export async function runChunkAndQueueNext(ctx: DomainContext, workspace: WorkspaceRef, jobId: string) {
  const { job, ran } = await runImportChunk({ ctx, workspace }, jobId);
  if (ran > 0 && job.status === "running") await queueNextChunk(ctx, jobId, workspace.id);
  return ran;
}

/**
 * The consumer: each message runs one chunk of its import and queues the next while rows are left, so an import
 * goes on at full speed with the page closed. A chunk that finds the lease held (the page's script, the cron job,
 * another message) runs nothing and queues nothing: that runner goes on, and the cron job queues a chunk again
 * if it stops. A storage failure retries the message; rows a failed chunk left are captured once all the same
 * (their dedup keys).
 */
export async function consumeImportChunks(ctx: DomainContext, batch: MessageBatch<ImportMessage>): Promise<void> {
  for (const message of batch.messages) {
    const { jobId, workspaceId } = message.body;
    try {
      const rs = await ctx.database.client.execute({
        sql: `SELECT w.default_country FROM import_job j JOIN workspace w ON w.id = j.workspace_id
              WHERE j.id = ? AND j.workspace_id = ? AND j.status = 'running'`,
        args: [jobId, workspaceId],
      });
      const row = rs.rows[0];
      // Done, or no such import in that workspace: nothing left to run.
      if (row) {
        await runChunkAndQueueNext(ctx, { id: workspaceId, defaultCountry: String(row.default_country) }, jobId);
      }
      message.ack();
    } catch (err) {
      console.error(
        JSON.stringify({ job: "imports.consume", jobId, error: err instanceof Error ? err.message : String(err) }),
      );
      message.retry({ delaySeconds: RETRY_DELAY_S });
    }
  }
}
