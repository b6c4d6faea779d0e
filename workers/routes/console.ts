import type { Context } from "hono";
import { html } from "hono/html";
import { LEAD_SOURCES, LEAD_STATUSES, type LeadStatus } from "../../db/schema";
import { CONSOLE_JS } from "../dashboard/console-script";
import { QUEUE_COUNTS_SLOT } from "../dashboard/console-style";
import { page } from "../dashboard/layout";
import { type LeadPageErrors, leadPageBody } from "../dashboard/lead-page";
import { BOARD_STATUSES, boardBody, leadListBody, queuesBody } from "../dashboard/work-pages";
import type { Scope } from "../domain/context";
import { assignLead, claimLead } from "../domain/leads/lead-actions";
import { loadConversation, replyOptions, sendConsoleReply } from "../domain/leads/lead-conversation";
import { LEAD_SORTS, type LeadSort, listBoardColumns, listLeadsPage } from "../domain/leads/lead-list";
import { addLeadNote } from "../domain/leads/lead-notes";
import type { Lead } from "../domain/leads/lead-row";
import { getLead, updateLead } from "../domain/leads/leads";
import { snoozeLead } from "../domain/leads/snooze";
import { loadQueues, queueCounts, retryDelivery } from "../domain/leads/work-queues";
import { ownerCandidates } from "../domain/routing/owner-candidates";
import { actorNames } from "../domain/team/actor-names";
import { listReps } from "../domain/team/reps";
import { getWorkspace } from "../domain/team/workspaces";
import { AppError, toAppError } from "../errors";
import { actorOf } from "../http/actor";
import type { App, AppEnv } from "../http/app";
import { leadVisibility, requireLeadVisible } from "../http/lead-visibility";
import { scope } from "../http/workspace-scope";
import { zoneMidnight } from "../lib/zone-time";

const PAGE_SIZE = 50;
const BOARD_COLUMN_LIMIT = 50;
const BULK_LIMIT = 200;
const YMD = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_]{1,64}$/;

async function zoneOf(s: Scope) {
  return (await getWorkspace({ ctx: s.ctx, workspaceId: s.workspace.id })).timezone;
}

const formString = (v: unknown) => (typeof v === "string" ? v : "");

/** A 4xx from a verb becomes the message next to its control; anything else (5xx) is thrown on. */
function messageOf(err: unknown): string {
  const appErr = toAppError(err);
  if (appErr.status >= 500) throw err;
  return Object.values(appErr.fields ?? {})[0] ?? appErr.message;
}

async function renderLead(
  c: Context<AppEnv>,
  leadId: string,
  extra: { done?: string; errors?: LeadPageErrors } = {},
  status: 200 | 422 | 404 | 409 = 200,
) {
  const s = scope(c);
  const { lead, events } = await getLead(s, leadId);
  requireLeadVisible(c, lead);
  const [reps, timeZone, thread, reply, names] = await Promise.all([
    listReps(s),
    zoneOf(s),
    loadConversation(s, leadId),
    replyOptions(s, leadId),
    actorNames(s.ctx, s.workspace.id),
  ]);
  const candidates = await ownerCandidates(s, lead);
  const body = leadPageBody({
    lead,
    events,
    reps,
    candidates,
    thread,
    reply,
    timeZone,
    actorNames: names,
    now: s.ctx.now(),
    nonce: crypto.randomUUID().replaceAll("-", ""),
    ...extra,
  });
  return c.html(page(lead.name ?? "Lead", "/app/leads", body), status);
}

type LeadAction = keyof LeadPageErrors;

/** The console's lead verbs: each parses its form, calls the same domain verb as the API and the chat buttons. */
const LEAD_ACTIONS: Record<
  LeadAction,
  (c: Context<AppEnv>, s: Scope, lead: Lead, form: Record<string, unknown>) => Promise<unknown>
> = {
  status: (c, s, lead, f) => {
    const status = formString(f.status);
    if (!(LEAD_STATUSES as readonly string[]).includes(status))
      throw AppError.validation({ status: "Choose a status from the list." });
    return updateLead(s, lead.id, { status: status as LeadStatus }, actorOf(c));
  },
  owner: async (c, s, lead, f) => {
    const repId = formString(f.repId);
    const { eligible } = await ownerCandidates(s, lead);
    // Only a rep who can take it now: the page never offers others, a forged post is refused the same way.
    if (!eligible.some((r) => r.id === repId))
      throw AppError.validation({ repId: "That rep cannot take this lead now." });
    return assignLead(s, lead.id, repId, actorOf(c));
  },
  claim: async (c, s, lead) => {
    // A rep signed in as themselves claims for themselves; an owner or admin confirms the current owner's claim.
    const p = c.get("auth").principal;
    const repId = p.kind === "person" && p.repId ? p.repId : lead.ownerRepId;
    if (!repId) throw AppError.validation({ repId: "Give the lead an owner first." });
    return claimLead(s, lead.id, repId);
  },
  snooze: (_c, s, lead, f) => {
    const hours = Number(f.hours);
    if (![1, 4, 24].includes(hours)) throw AppError.validation({ hours: "Choose how long to snooze." });
    return snoozeLead(s, lead.id, s.ctx.now() + hours * 3_600_000);
  },
  note: (c, s, lead, f) =>
    addLeadNote(s, { leadId: lead.id, text: formString(f.text), actor: actorOf(c), via: "console" }),
  reply: (c, s, lead, f) =>
    sendConsoleReply(
      s,
      lead.id,
      { text: formString(f.text), template: formString(f.template) || undefined, nonce: formString(f.nonce) },
      actorOf(c),
    ),
};

function consoleFilter(query: Record<string, string>, timeZone: string) {
  const bad: string[] = [];
  for (const k of ["from", "to"] as const) if (query[k] && !YMD.test(query[k]!)) bad.push(`${k}: use a date`);
  if (query.status && !(LEAD_STATUSES as readonly string[]).includes(query.status)) bad.push("status: unknown");
  if (query.source && !(LEAD_SOURCES as readonly string[]).includes(query.source)) bad.push("source: unknown");
  if (query.owner && !(query.owner === "none" || ID.test(query.owner))) bad.push("owner: unknown");
  const sort = (query.sort && query.sort in LEAD_SORTS ? query.sort : "newest") as LeadSort;
  const pageNo = Math.min(10_000, Math.max(1, Math.floor(Number(query.page)) || 1));
  // "Until" a day includes that whole day in the workspace's zone.
  const to = query.to && YMD.test(query.to) ? zoneMidnight(query.to, timeZone) + 86_400_000 : undefined;
  return {
    error: bad.length ? bad.join("; ") : undefined,
    filter: {
      status: query.status ? [query.status as LeadStatus] : undefined,
      source: query.source ? [query.source as (typeof LEAD_SOURCES)[number]] : undefined,
      owner: query.owner || undefined,
      q: query.q?.trim().slice(0, 200) || undefined,
      from: query.from && YMD.test(query.from) ? zoneMidnight(query.from, timeZone) : undefined,
      to,
      hot: query.hot === "1",
      waiting: query.waiting === "1",
      sort,
      page: pageNo,
      pageSize: PAGE_SIZE,
    },
  };
}

const BULK_WORDS = (n: number, failed: number) =>
  `${n} ${n === 1 ? "lead" : "leads"} changed.${failed ? ` ${failed} could not be changed (see each lead).` : ""}`;

/**
 * Every console page shows the queue counts in the navigation, without each handler loading them. Register before the
 * pages.
 */
export function registerQueueCountsInNav(app: App) {
  app.use("/app/*", async (c, next) => {
    await next();
    if (c.req.method !== "GET" || !c.get("auth") || !c.res.headers.get("content-type")?.startsWith("text/html")) return;
    const text = await c.res.text();
    let counts = "";
    const p = c.get("auth").principal;
    // The queues are the owner's and admins' page; a rep's navigation does not count them.
    if (text.includes(QUEUE_COUNTS_SLOT) && !(p.kind === "person" && p.role === "rep")) {
      const n = await queueCounts(scope(c));
      const total = n.unassigned + n.breached + n.failed;
      counts = total
        ? `<span class="count" data-nav-count="queues"
            title="${n.unassigned} unassigned, ${n.breached} late, ${n.failed} not sent">${total}</span>`
        : "";
    }
    c.res = new Response(text.replace(QUEUE_COUNTS_SLOT, counts), c.res);
  });
}

/** The console for working leads: lead actions, conversation and reply, list, board, queues. */
export function registerConsole(app: App) {
  app.get("/app/assets/console.js", (c) =>
    c.body(CONSOLE_JS, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "private, max-age=300",
    }),
  );

  app.get("/app/leads", async (c) => {
    const s = scope(c);
    const query = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ""));
    const [reps, timeZone] = await Promise.all([listReps(s), zoneOf(s)]);
    const { error, filter } = consoleFilter(query, timeZone);
    const { leads, total } = error
      ? { leads: [], total: 0 }
      : await listLeadsPage(s, { ...filter, visibleTo: leadVisibility(c) });
    const notice = c.req.query("done");
    const body = leadListBody({
      leads,
      total,
      reps,
      query,
      page: filter.page,
      pageSize: PAGE_SIZE,
      error,
      notice,
      timeZone,
      now: s.ctx.now(),
    });
    return c.html(page("Leads", "/app/leads", body), error ? 422 : 200);
  });

  app.post("/app/leads/bulk", async (c) => {
    const s = scope(c);
    const form = await c.req.parseBody({ all: true });
    const ids = [form.ids ?? []]
      .flat()
      .map(String)
      .filter((id) => ID.test(id))
      .slice(0, BULK_LIMIT);
    const status = formString(form.status);
    const repId = formString(form.repId);
    const back = (notice: string) => c.redirect(`/app/leads?done=${encodeURIComponent(notice)}`, 303);
    if (ids.length === 0) return back("Select at least one lead.");
    if (!status && !repId) return back("Choose a status or a rep to apply.");
    if (status && !(LEAD_STATUSES as readonly string[]).includes(status))
      throw AppError.validation({ status: "Unknown status." });
    let changed = 0;
    let failed = 0;
    // One lead at a time through the same verbs, so each change is its own timeline event with its alert.
    for (const id of ids) {
      try {
        requireLeadVisible(c, (await getLead(s, id)).lead);
        if (repId) await assignLead(s, id, repId, actorOf(c));
        if (status) await updateLead(s, id, { status: status as LeadStatus }, actorOf(c));
        changed++;
      } catch (err) {
        messageOf(err);
        failed++;
      }
    }
    return back(BULK_WORDS(changed, failed));
  });

  app.get("/app/leads/:id", async (c) => renderLead(c, c.req.param("id"), { done: c.req.query("done") }));

  for (const name of Object.keys(LEAD_ACTIONS) as LeadAction[]) {
    app.post(`/app/leads/:id/${name}`, async (c) => {
      const s = scope(c);
      const id = c.req.param("id");
      const form = await c.req.parseBody();
      // Read once: the visibility check and the action share it.
      const { lead } = await getLead(s, id);
      requireLeadVisible(c, lead);
      try {
        await LEAD_ACTIONS[name](c, s, lead, form);
      } catch (err) {
        if (err instanceof AppError && err.code === "NOT_FOUND") throw err;
        const status = err instanceof AppError && err.status === 409 ? 409 : 422;
        return renderLead(c, id, { errors: { [name]: messageOf(err) } }, status);
      }
      if (form.back === "board") return c.redirect(`/app/board#lead-${id}`, 303);
      return c.redirect(`/app/leads/${id}?done=${name}#${name === "reply" ? "conversation" : "actions"}`, 303);
    });
  }

  app.get("/app/board", async (c) => {
    const s = scope(c);
    const [reps, timeZone, columns] = await Promise.all([
      listReps(s),
      zoneOf(s),
      listBoardColumns(s, BOARD_STATUSES, BOARD_COLUMN_LIMIT),
    ]);
    const board = boardBody({ columns, reps, timeZone, now: s.ctx.now() });
    const body = html`${board}<script src="/app/assets/console.js"></script>`;
    return c.html(page("Board", "/app/board", body));
  });

  app.get("/app/queues", async (c) => {
    const s = scope(c);
    const [queues, counts, reps, timeZone] = await Promise.all([loadQueues(s), queueCounts(s), listReps(s), zoneOf(s)]);
    const body = queuesBody({ ...queues, counts, reps, timeZone, now: s.ctx.now(), notice: c.req.query("done") });
    return c.html(page("Queues", "/app/queues", body));
  });

  app.post("/app/queues/deliveries/:id/retry", async (c) => {
    const requeued = await retryDelivery(scope(c), c.req.param("id"));
    const notice = requeued ? "Sent again through the outbox." : "That message was already retried.";
    return c.redirect(`/app/queues?done=${encodeURIComponent(notice)}#failed`, 303);
  });
}
