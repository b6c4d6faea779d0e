import { expect } from "vitest";
import { fetchWorker } from "./harness";

const BASE = "https://leadrelay.test";

/** Uploads a CSV through the console's form, as a browser would (multipart); answers the import's id. */
export async function upload(cookie: string, csv: string, fileName = "leads.csv"): Promise<string> {
  const form = new FormData();
  form.append("file", new File([csv], fileName, { type: "text/csv" }));
  const res = await fetchWorker("/app/import", { method: "POST", body: form, headers: { cookie, origin: BASE } });
  expect(res.status).toBe(303);
  return res.headers.get("location")!.split("/").pop()!;
}

/** A console form post from the Worker's own origin, with the session cookie. */
export const postForm = (path: string, cookie: string, values: Record<string, string>) =>
  fetchWorker(path, {
    method: "POST",
    body: new URLSearchParams(values).toString(),
    headers: { cookie, origin: BASE, "content-type": "application/x-www-form-urlencoded" },
  });
