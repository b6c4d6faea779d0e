import { describe, expect, it } from "vitest";
import type { RoutingPreview } from "../../workers/domain/routing/routing-preview";
import type { LeadJson, ListJson, PoolJson, RuleJson } from "../support/response-json";
import { call, seedWorkspace, submit } from "../support/workers/harness";
import { addRep } from "../support/workers/routing-harness";

/** A random number in one area code, so files running together never share a lead. */
const phoneIn = (areaCode: string) =>
  `+1 ${areaCode} 555 ${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;
const digits = (phone: string) => phone.replace(/\D/g, "");

async function territoryWorkspace() {
  const ws = await seedWorkspace({
    reps: [],
    form: {
      fields: [
        { name: "name", label: "Name", type: "text" },
        { name: "phone", label: "Phone", type: "tel", required: true },
        { name: "state", label: "State or province", type: "text" },
      ],
    },
  });
  const [west, texas, ontario, general] = [
    await addRep(ws.key, { name: "West" }),
    await addRep(ws.key, { name: "Texas" }),
    await addRep(ws.key, { name: "Ontario" }),
    await addRep(ws.key, { name: "General" }),
  ];
  const pool = async (name: string, repIds: string[], isDefault = false) => {
    const res = await call<PoolJson>("POST", "/api/v1/pools", { key: ws.key, body: { name, repIds, isDefault } });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  const rule = async (name: string, regions: string[], poolId: string) => {
    const res = await call<RuleJson>("POST", "/api/v1/routing-rules", {
      key: ws.key,
      body: { name, match: { regions }, poolId },
    });
    expect(res.status, res.text).toBe(201);
  };
  // Codes and names both: the phone gives either to compare with.
  await rule("California", ["CA"], await pool("West", [west]));
  await rule("Texas", ["Texas"], await pool("Texas", [texas]));
  await rule("Ontario", ["on"], await pool("Ontario", [ontario]));
  await pool("General", [general], true);
  return { ws, reps: { west, texas, ontario, general } };
}

/** Submits the form and returns the stored lead (the form's answer carries no id). */
async function formLead(ws: { key: string; form: { publicKey: string } }, body: Record<string, string>) {
  const res = await submit(ws.form.publicKey, body);
  expect(res.status, res.text).toBe(200);
  const found = await call<ListJson<LeadJson>>("GET", `/api/v1/leads?q=${digits(body.phone ?? "")}`, { key: ws.key });
  expect(found.json.data, found.text).toHaveLength(1);
  return found.json.data[0]! as { ownerRepId: string | null; fields: Record<string, string> };
}

describe("territories from the phone number", () => {
  it("a form lead with only a phone is placed by its area code: state or province, by code or by name", async () => {
    const { ws, reps } = await territoryWorkspace();
    expect((await formLead(ws, { name: "San Francisco", phone: phoneIn("415") })).ownerRepId).toBe(reps.west);
    expect((await formLead(ws, { name: "Austin", phone: phoneIn("512") })).ownerRepId).toBe(reps.texas);
    expect((await formLead(ws, { name: "Toronto", phone: phoneIn("416") })).ownerRepId).toBe(reps.ontario);
    // An area code the table leaves out (902 is shared by two provinces) matches no region rule.
    expect((await formLead(ws, { name: "Halifax", phone: phoneIn("902") })).ownerRepId).toBe(reps.general);
    // Nor does a number outside the plan.
    const london = await formLead(ws, { name: "London", phone: "+44 20 7946 0321" });
    expect(london.ownerRepId).toBe(reps.general);
  });

  it("a state the prospect typed wins over the phone's area code", async () => {
    const { ws, reps } = await territoryWorkspace();
    const moved = await formLead(ws, { name: "Moved to Texas", phone: phoneIn("415"), state: "Texas" });
    expect(moved.fields.state).toBe("Texas");
    expect(moved.ownerRepId).toBe(reps.texas);
    // A typed region no rule lists is not overridden by the phone either: the default pool takes it.
    const nevada = await formLead(ws, { name: "Reno", phone: phoneIn("415"), state: "NV" });
    expect(nevada.ownerRepId).toBe(reps.general);
  });

  it("the routing preview places a phone-only sample the same way", async () => {
    const { ws } = await territoryWorkspace();
    const res = await call<RoutingPreview>("POST", "/api/v1/routing/preview", {
      key: ws.key,
      body: { phone: phoneIn("213") },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.rule!.name).toBe("California");
    expect(res.json.rep!.name).toBe("West");
  });
});
