import { describe, expect, it } from "vitest";
import type { LeadCreatedJson, LeadDetailJson } from "../support/response-json";
import { call, seedWorkspace, uniqueEmail } from "../support/workers/harness";

// Found by fuzzing the owner API: every reassignment (pass, assign
// without a rep, the SLA sweep) sent named arguments its statements do not use, which libSQL servers
// refuse ("too many parameters"), so the route answered 500 and nothing moved.
describe("reassignment through the API", () => {
  it("the owner passes a lead → 200, it moves to the other rep, passed + reassigned on the timeline", async () => {
    const ws = await seedWorkspace();
    const lead = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", {
        key: ws.key,
        body: { name: "Pass me", email: uniqueEmail() },
      })
    ).json.lead;
    expect(lead.ownerRepId).toBeTruthy();
    const res = await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/pass`, {
      key: ws.key,
      body: { repId: lead.ownerRepId },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.lead.ownerRepId).not.toBe(lead.ownerRepId);
    expect(res.json.events.map((e: { type: string }) => e.type)).toEqual([
      "created",
      "assigned",
      "passed",
      "reassigned",
    ]);
  });

  it("assign without a rep → 200, the pool's next eligible rep", async () => {
    const ws = await seedWorkspace();
    const lead = (
      await call<LeadCreatedJson>("POST", "/api/v1/leads", {
        key: ws.key,
        body: { name: "Move me", email: uniqueEmail() },
      })
    ).json.lead;
    const res = await call<LeadDetailJson>("POST", `/api/v1/leads/${lead.id}/assign`, { key: ws.key, body: {} });
    expect(res.status, res.text).toBe(200);
    expect(res.json.lead.ownerRepId).not.toBe(lead.ownerRepId);
  });
});
