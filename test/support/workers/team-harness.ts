import { call, uniqueEmail } from "./harness";

export const BASE = "https://leadrelay.test";

/** A same-origin HTML form post, as the console's own pages send it. */
export function formPost(
  path: string,
  fields: Record<string, string>,
  cookie?: string,
  headers: Record<string, string> = {},
) {
  return call("POST", path, {
    rawBody: new URLSearchParams(fields).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: BASE,
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
  });
}

export const page = (path: string, cookie?: string) => call("GET", path, { headers: cookie ? { cookie } : {} });

export function cookieOf(res: { headers: Headers }): string {
  const set = res.headers.get("set-cookie");
  if (!set?.startsWith("lr_session=")) throw new Error(`no session cookie in ${set}`);
  return set.split(";")[0]!;
}

export const PASSWORD = "correct horse battery staple";

/**
 * Invites a person through the API, accepts the link with PASSWORD; returns their id, email and first session cookie.
 */
export async function invitedPerson(key: string, input: { role: "admin" | "rep"; repId?: string; name?: string }) {
  const email = uniqueEmail();
  const res = await call<{ inviteUrl: string; person: { id: string } }>("POST", "/api/v1/people", {
    key,
    body: { email, name: input.name ?? "Invitee", ...input },
  });
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${res.text}`);
  const invitePath = new URL(res.json.inviteUrl).pathname;
  const accepted = await formPost(invitePath, { password: PASSWORD });
  if (accepted.status !== 303) throw new Error(`accept: ${accepted.status} ${accepted.text}`);
  return { id: res.json.person.id as string, email, invitePath, cookie: cookieOf(accepted) };
}

export async function signIn(email: string, password = PASSWORD, headers: Record<string, string> = {}) {
  return formPost("/app/login", { email, password }, undefined, headers);
}
