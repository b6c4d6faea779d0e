import { describe, expect, it } from "vitest";
import { callRaw, seedWorkspace, testDb, uniqueEmail } from "../support/workers/harness";
import { type MalformedCase, malformedCase, type Random, seededRandom } from "../support/workers/malformed-bodies";
import { connectBot } from "../support/workers/telegram-harness";
import { retarget, sign, uniqueWaId, waFixture, workspaceWithNumber } from "../support/workers/whatsapp-harness";

// 10,000 generated bodies, bounded by count: forms, both platform webhooks (validly signed, so the bodies reach
// the parsers) and owner routes. Per-case row checks live in fuzz.security.test.ts; at this scale the test
// checks what must hold for every case at once: no 5xx, and no lead without its `created` event.
const TOTAL = 10_000;
const AT_ONCE = 16;
const SEED = 0xf022;

const enc = new TextEncoder();

/** Values of the wrong type for any field: numbers for strings and back, objects that pose as primitives. */
function confused(r: Random): unknown {
  return r.pick<unknown>([
    0,
    -1,
    1e308,
    2 ** 53 + 1,
    3.14,
    "42",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    true,
    "true",
    null,
    [],
    ["a"],
    {},
    { toString: "x", valueOf: 1 },
    { toString: null },
    { valueOf: "5000" },
    { toJSON: 1 },
    { __proto__: { polluted: 1 } },
    { length: 3 },
    "constructor",
    "__proto__",
    "",
    " ",
    "\u202e",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "a".repeat(5000),
  ]);
}

/** A valid body with a few fields (or unknown keys) given values of the wrong type. */
function typeConfused(r: Random, valid: Record<string, unknown>): MalformedCase {
  const body: Record<string, unknown> = { ...valid };
  const keys = Object.keys(valid).concat(["_elapsed_ms", "_sid", "toString", "valueOf", "constructor", "__proto__"]);
  for (let n = 1 + r.int(3); n > 0; n--) {
    Object.defineProperty(body, r.pick(keys), {
      value: confused(r),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return { label: "type-confused", body: enc.encode(JSON.stringify(body)), contentType: "application/json" };
}

function bodyFor(r: Random, valid: () => Record<string, unknown>): MalformedCase {
  return r.next() < 0.6 ? typeConfused(r, valid()) : malformedCase(r, 4096, valid);
}

describe("fuzzing at scale", () => {
  it(`${TOTAL} bodies across forms, webhooks and owner routes: 0 5xx, every lead with its created event`, async () => {
    const ws = await seedWorkspace();
    // Endpoints the owner-route cases create are inactive: no lead event may go out to the internet from a test.
    const num = await workspaceWithNumber({}, await seedWorkspace());
    const bot = await connectBot(await seedWorkspace());
    const waText = await waFixture("message_text");
    const r = seededRandom(SEED);
    const workspaces = [ws.id, num.ws.id, bot.ws.id];

    type Target = {
      path: string;
      method: string;
      headers: (body: Uint8Array) => Promise<Record<string, string>>;
      valid: (i: number) => Record<string, unknown>;
    };
    const auth = async () => ({ authorization: `Bearer ${ws.key}` });
    const targets: [weight: number, Target][] = [
      [
        45,
        {
          path: `/f/${ws.form.publicKey}`,
          method: "POST",
          headers: async () => ({}),
          valid: (i) => ({
            name: `Fuzz ${i}`,
            email: `fz-${i % 300}@example.com`,
            message: "hi",
            _elapsed_ms: 5000,
            _sid: `fzsid${i % 50}xx`,
          }),
        },
      ],
      [
        20,
        {
          path: `/hooks/whatsapp/${num.channelId}`,
          method: "POST",
          headers: async (b) => ({ "x-hub-signature-256": await sign(b, num.appSecret) }),
          valid: (i) => retarget(waText, num, { waId: uniqueWaId() }, `fs${i}`),
        },
      ],
      [
        15,
        {
          path: `/hooks/telegram/${bot.channelId}`,
          method: "POST",
          headers: async () => ({ "x-telegram-bot-api-secret-token": bot.secret }),
          valid: (i) => ({
            update_id: 500_000 + i,
            message: {
              message_id: i,
              date: Math.floor(Date.now() / 1000),
              chat: { id: 9_000_000 + (i % 200), type: "private" },
              from: { id: 9_000_000 + (i % 200), is_bot: false, first_name: "Fz" },
              text: `hello ${i}`,
            },
          }),
        },
      ],
      [
        10,
        {
          path: "/api/v1/leads",
          method: "POST",
          headers: auth,
          valid: (i) => ({ name: `Api ${i}`, email: uniqueEmail(), phone: "+14155550123", message: "m" }),
        },
      ],
      [
        4,
        { path: "/api/v1/pools", method: "POST", headers: auth, valid: (i) => ({ name: `Pool ${i}`, slaMinutes: 15 }) },
      ],
      [
        3,
        {
          path: "/api/v1/sequences",
          method: "POST",
          headers: auth,
          valid: (i) => ({ name: `Seq ${i}`, steps: [{ delayMinutes: 5, sender: "email", text: "x" }] }),
        },
      ],
      [
        3,
        {
          path: "/api/v1/webhooks",
          method: "POST",
          headers: auth,
          valid: () => ({ url: "https://hooks.example.com/x", events: ["lead.created"], active: false }),
        },
      ],
    ];
    const totalWeight = targets.reduce((n, [w]) => n + w, 0);
    const pickTarget = () => {
      let x = r.int(totalWeight);
      for (const [w, t] of targets) {
        x -= w;
        if (x < 0) return t;
      }
      return targets[0]![1];
    };

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    for (let done = 0; done < TOTAL; done += AT_ONCE) {
      const batch = Array.from({ length: Math.min(AT_ONCE, TOTAL - done) }, (_, k) => {
        const t = pickTarget();
        const c = bodyFor(r, () => t.valid(done + k));
        return { t, c, i: done + k };
      });
      await Promise.all(
        batch.map(async ({ t, c, i }) => {
          const headers = { ...(c.contentType ? { "content-type": c.contentType } : {}), ...(await t.headers(c.body)) };
          const res = await callRaw(t.method, t.path, c.body, headers);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500)
            failures.push(`case ${i} ${t.method} ${t.path} (${c.label}) → ${res.status} ${res.text.slice(0, 200)}`);
        }),
      );
    }
    expect(failures.slice(0, 10), `${failures.length} 5xx`).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
    // Both sides exercised: some accepted, many refused.
    expect((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0)).toBeGreaterThan(TOTAL / 20);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThan(2);

    const orphans = await testDb().execute({
      sql: `SELECT count(*) AS n, (SELECT count(*) FROM lead WHERE workspace_id IN (SELECT value
            FROM json_each(:ws))) AS leads
            FROM lead l WHERE l.workspace_id IN (SELECT value FROM json_each(:ws))
              AND NOT EXISTS (SELECT 1 FROM lead_event e WHERE e.lead_id = l.id AND e.type = 'created')`,
      args: { ws: JSON.stringify(workspaces) },
    });
    expect(Number(orphans.rows[0]!.leads)).toBeGreaterThan(0);
    expect(Number(orphans.rows[0]!.n)).toBe(0);

    // The files share one database and cron ticks work every workspace's due rows: thousands of this file's
    // pending sends and follow-ups would crowd out the rows a later file's tick is waiting for.
    const ids = { ws: JSON.stringify(workspaces) };
    await testDb().batch([
      { sql: `DELETE FROM outbox WHERE workspace_id IN (SELECT value FROM json_each(:ws))`, args: ids },
      { sql: `DELETE FROM sequence_enrollment WHERE workspace_id IN (SELECT value FROM json_each(:ws))`, args: ids },
      { sql: `UPDATE lead SET sla_due_at = NULL WHERE workspace_id IN (SELECT value FROM json_each(:ws))`, args: ids },
    ]);
  }, 300_000);
});
