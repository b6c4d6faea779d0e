import { expect } from "vitest";
import { call, fetchWorker, uniqueEmail } from "./harness";

export type CapturedLead = { id: string; ownerRepId: string | null; createdAt: number; slaDueAt: number | null };

export async function addRep(key: string, body: Record<string, unknown>): Promise<string> {
  const res = await call<{ id: string }>("POST", "/api/v1/reps", { key, body });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

/**
 * A lead through POST /api/v1/leads, straight into the Worker's fetch handler (SELF.fetch slows down with
 * every call a file makes).
 */
export async function captureLead(key: string, body: Record<string, unknown> = {}): Promise<CapturedLead> {
  const res = await fetchWorker("/api/v1/leads", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ email: uniqueEmail(), ...body }),
  });
  const json = (await res.json()) as { lead: CapturedLead };
  expect([200, 201], JSON.stringify(json)).toContain(res.status);
  return json.lead;
}
