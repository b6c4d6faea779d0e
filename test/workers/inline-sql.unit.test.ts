import { createClient } from "@libsql/client/web";
import { describe, expect, it } from "vitest";
import { withInlineSql } from "../../workers/lib/inline-sql";
import { libsqlUrl } from "../support/workers/harness";

/** A client whose pipeline requests are kept, to see what each batch sent. */
function recordingClient() {
  const sent: { type: string; sql?: string; sql_id?: number; batch?: { steps: { stmt: { sql?: string } }[] } }[][] = [];
  const client = createClient({
    url: libsqlUrl,
    intMode: "number",
    fetch: async (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      sent.push(((await request.clone().json()) as { requests: (typeof sent)[number] }).requests);
      return fetch(request);
    },
  });
  return { client: withInlineSql(client), sent };
}

describe("batches send a SQL text used once inline", () => {
  it("no store_sql for texts used once; a repeated text still stored once; the same results", async () => {
    const { client, sent } = recordingClient();
    const results = await client.batch(
      [
        { sql: "SELECT :a AS a", args: { a: 1 } },
        "SELECT 2 AS b",
        ["SELECT ? AS c", [3]],
        { sql: "SELECT ? AS d", args: [4] },
        { sql: "SELECT ? AS d", args: [5] },
      ],
      "read",
    );
    expect(results.map((r) => r.rows[0]?.[0])).toEqual([1, 2, 3, 4, 5]);
    const requests = sent.at(-1)!;
    const stored = requests.filter((r) => r.type === "store_sql").map((r) => r.sql);
    expect(stored).toEqual(["SELECT ? AS d"]);
    const steps = requests.find((r) => r.type === "batch")!.batch!.steps.map((s) => s.stmt.sql);
    expect(steps).toEqual(expect.arrayContaining(["SELECT :a AS a", "SELECT 2 AS b", "SELECT ? AS c"]));
  });

  it("a failing statement still fails the batch with the server's error", async () => {
    const { client } = recordingClient();
    await expect(client.batch(["SELECT 1", "SELECT * FROM no_such_table"], "read")).rejects.toThrow(/no_such_table/);
  });
});
