import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { rotationName } from "../../workers/routing/rotation-service";
import type { RepJson } from "../support/response-json";
import { call, libsqlRequests, seedWorkspace, submit, testDb, uniqueEmail } from "../support/workers/harness";
import { captureLead as capture } from "../support/workers/routing-harness";

const rotationOf = (workspaceId: string) => env.ROTATION.get(env.ROTATION.idFromName(rotationName(workspaceId, null)));

async function addReps(key: string, names: string[]) {
  const ids: string[] = [];
  for (const name of names) {
    const res = await call<RepJson>("POST", "/api/v1/reps", { key, body: { name } });
    expect(res.status, res.text).toBe(201);
    ids.push(res.json.id);
  }
  return ids;
}

describe("one round trip per new lead", () => {
  it("a new lead is one libSQL request once routing is cached; a known contact two, and keeps its owner", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [a, b] = await addReps(ws.key, ["A", "B"]);
    // Through the form, whose settings are cached too (an API call would also look up its key).
    const post = async (email: string) => {
      const requests = await libsqlRequests(async () => {
        expect((await submit(ws.form.publicKey, { name: "P", email })).status).toBe(200);
      });
      const rs = await testDb().execute({ sql: `SELECT owner_rep_id FROM lead WHERE email = ?`, args: [email] });
      return { owner: rs.rows[0]?.owner_rep_id, requests };
    };
    const email = uniqueEmail();
    expect((await post(email)).owner).toBe(a);
    expect(await post(uniqueEmail())).toEqual({ owner: b, requests: 1 });

    // The known contact: the batch finds it and writes nothing, then its own write. The turn the rotation
    // offered is handed back, so the next new lead goes to A, as if the re-inquiry had never asked.
    expect(await post(email)).toEqual({ owner: a, requests: 2 });
    expect(await post(uniqueEmail())).toEqual({ owner: a, requests: 1 });
    expect(await post(uniqueEmail())).toEqual({ owner: b, requests: 1 });
    expect(await rotationOf(ws.id).counts()).toEqual({ [a!]: 2, [b!]: 2 });
  });

  it("a rep paused by a direct SQL write gets no new lead from the cached routing", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [a, b] = await addReps(ws.key, ["A", "B"]);
    expect((await capture(ws.key)).ownerRepId).toBe(a);
    // Not through the API: only the database knows (another isolate, a script).
    await testDb().execute({ sql: `UPDATE rep SET paused = 1 WHERE id = ?`, args: [b!] });
    for (let i = 0; i < 3; i++) expect((await capture(ws.key)).ownerRepId).toBe(a);
    // The turns refused on the stale context were handed back: B's count stays as it was.
    expect(await rotationOf(ws.id).counts()).toEqual({ [a!]: 4, [b!]: 0 });
  });

  it("a new rep joins the rotation at the next lead, and caps hold", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const [a] = await addReps(ws.key, ["A"]);
    await testDb().execute({ sql: `UPDATE rep SET max_open_leads = 2 WHERE id = ?`, args: [a!] });
    expect((await capture(ws.key)).ownerRepId).toBe(a);
    const [b] = await addReps(ws.key, ["B"]);
    expect((await capture(ws.key)).ownerRepId).toBe(b);
    expect((await capture(ws.key)).ownerRepId).toBe(a);
    // A is at their cap of 2: every later lead goes to B.
    for (let i = 0; i < 3; i++) expect((await capture(ws.key)).ownerRepId).toBe(b);
    const open = await testDb().execute({
      sql: `SELECT count(*) AS n FROM lead WHERE owner_rep_id = ? AND status = 'new'`,
      args: [a!],
    });
    expect(Number(open.rows[0]?.n)).toBe(2);
  });

  it("release hands back the last pick exactly: the rotation goes on as if never asked", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const stub = rotationOf(ws.id);
    const candidates = ["r1", "r2", "r3"].map((repId) => ({ repId, weight: 1 }));
    const first = await stub.pick({ assignmentKey: "k1", candidates });
    const taken = await stub.pick({ assignmentKey: "k2", candidates });
    expect(await stub.release("k2")).toBe(true);
    expect(await stub.release("k2")).toBe(false);
    const next = await stub.pick({ assignmentKey: "k3", candidates });
    expect(next.repId).toBe(taken.repId);
    expect(next.repId).not.toBe(first.repId);
    // The key can be picked again, as new.
    expect(await stub.pick({ assignmentKey: "k2", candidates })).toMatchObject({ replay: false });
    const counts = await stub.counts();
    expect(Object.values(counts).sort()).toEqual([1, 1, 1]);
  });

  it("release of a pick that others followed takes back only its own turn", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const stub = rotationOf(ws.id);
    const candidates = ["r1", "r2"].map((repId) => ({ repId, weight: 1 }));
    const k1 = await stub.pick({ assignmentKey: "k1", candidates });
    const k2 = await stub.pick({ assignmentKey: "k2", candidates });
    expect(k2.repId).not.toBe(k1.repId);
    expect(await stub.release("k1")).toBe(true);
    // Only k2's turn stands: the other rep is next, then strict alternation.
    const k3 = await stub.pick({ assignmentKey: "k3", candidates });
    expect(k3.repId).toBe(k1.repId);
    const k4 = await stub.pick({ assignmentKey: "k4", candidates });
    expect(k4.repId).toBe(k2.repId);
    expect(await stub.counts()).toEqual({ [k1.repId!]: 1, [k2.repId!]: 2 });
  });

  it("a rotation of 30 reps stores every rep's turn, and goes on exactly after reading them back", async () => {
    const ws = await seedWorkspace({ reps: [] });
    const stub = rotationOf(ws.id);
    const reps = Array.from({ length: 30 }, (_, i) => `r${String(i).padStart(2, "0")}`);
    const candidates = reps.map((repId) => ({ repId, weight: 1 }));
    const first: string[] = [];
    for (let i = 0; i < 30; i++) first.push((await stub.pick({ assignmentKey: `a${i}`, candidates })).repId!);
    expect([...first].sort()).toEqual(reps);
    expect(Object.values(await stub.counts())).toEqual(reps.map(() => 1));
    // A release rewrites the states, so the object reads them all back: the turn handed back is the next one.
    expect(await stub.release("a29")).toBe(true);
    expect((await stub.pick({ assignmentKey: "b0", candidates })).repId).toBe(first[29]);
    const second: string[] = [];
    for (let i = 0; i < 30; i++) second.push((await stub.pick({ assignmentKey: `c${i}`, candidates })).repId!);
    expect([...second].sort()).toEqual(reps);
    expect(Object.values(await stub.counts())).toEqual(reps.map(() => 2));
  });
});
