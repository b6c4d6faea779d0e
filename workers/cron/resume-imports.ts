import { runChunkAndQueueNext } from "../domain/imports/import-queue";
import type { CronJob } from "./job";

// One chunk per tick: a chunk spends about 600 subrequests of the tick's budget (see IMPORT_CHUNK_ROWS), which the
// other jobs share. The console page runs chunks back to back while it is open; this only keeps a closed tab going.
const IMPORTS_PER_TICK = 1;

/**
 * Imports left running go on by themselves: a chunk a minute here, and with the imports queue the chunks after it
 * back to back (a chain of queued chunks stops where it met another runner, or after a storage failure).
 */
export const resumeImports: CronJob = {
  name: "resume-imports",
  async run({ ctx }) {
    const rs = await ctx.database.client.execute({
      sql: `SELECT j.id, j.workspace_id, w.default_country FROM import_job j JOIN workspace w ON w.id = j.workspace_id
            WHERE j.status = 'running' AND (j.lease_until IS NULL OR j.lease_until < ?)
            ORDER BY j.updated_at LIMIT ?`,
      args: [ctx.now(), IMPORTS_PER_TICK],
    });
    let rows = 0;
    for (const r of rs.rows) {
      const workspace = { id: String(r.workspace_id), defaultCountry: String(r.default_country) };
      rows += await runChunkAndQueueNext(ctx, workspace, String(r.id));
    }
    return { rows };
  },
};
