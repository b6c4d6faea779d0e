import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { CONSOLE_CSS, QUEUE_COUNTS_SLOT } from "./console-style";

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV = [
  ["/app", "Overview"],
  ["/app/leads", "Leads"],
  ["/app/board", "Board"],
  ["/app/queues", "Queues"],
  ["/app/reps", "Reps"],
  ["/app/forms", "Forms"],
  ["/app/scoring", "Scoring"],
  ["/app/webhooks", "Webhooks"],
  ["/app/routing", "Routing"],
  ["/app/sequences", "Sequences"],
  ["/app/channels", "Channels"],
  ["/app/import", "Import"],
  ["/app/people", "People"],
  ["/app/keys", "API keys"],
  ["/app/account", "Account"],
] as const;

export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
a{color:#0969da}
header{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;padding:.6rem 1rem;background:#24292f;color:#fff}
header a{color:#fff;text-decoration:none;padding:.2rem .4rem;border-radius:.3rem}
header a[aria-current=page]{background:#57606a}
header strong{margin-right:1rem}
header form{margin-left:auto}
main{max-width:1100px;margin:0 auto;padding:1rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{font-size:.85rem;color:#57606a}
td{overflow-wrap:anywhere}
.tick,.lbl,.val{font-size:11px;fill:#57606a}
.lbl{fill:#1f2328}
.axis{stroke:#d0d7de}
svg{width:100%;height:auto;display:block}
figure{margin:0}
figcaption{font-size:.85rem}
.key{margin-right:1rem}
.key i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px;border-radius:2px}
.hot{background:#cf222e;color:#fff;border-radius:1rem;padding:0 .45rem;font-size:.75rem;font-weight:600}
.badge{background:#eaeef2;border-radius:1rem;padding:0 .5rem;font-size:.85rem}
.muted{color:#57606a}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
label{display:block;font-size:.85rem}
input,select,textarea,button{font:inherit;padding:.35rem .5rem;border:1px solid #8c959f;border-radius:.35rem}
button{background:#0969da;color:#fff;border:0;cursor:pointer}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
.big{font-size:1.8rem;font-weight:600}
.err{color:#cf222e}
ol.timeline{padding-left:1.2rem}
ol.timeline li{margin:.3rem 0}
${CONSOLE_CSS}`;

export function page(title: string, path: string, body: Html, opts: { workspaceName?: string } = {}) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · LeadRelay</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <strong>LeadRelay${opts.workspaceName ? html` · ${opts.workspaceName}` : ""}</strong>
  <input type="checkbox" id="nav-toggle"
    class="nav-toggle" aria-label="Show the menu"><label for="nav-toggle" class="nav-button">Menu</label>
  <nav aria-label="Dashboard">
    ${NAV.map(
      ([href, label]) =>
        html`<a href="${href}" ${href === path ? html`aria-current="page"` : ""}>${label}${
          href === "/app/queues" ? html`${raw(QUEUE_COUNTS_SLOT)}` : ""
        }</a>`,
    )}
  </nav>
  <form method="post" action="/app/logout"><button type="submit">Sign out</button></form>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

// Building a formatter costs far more than using one; a board or list formats hundreds of times per page.
const formatters = new Map<string, Intl.DateTimeFormat>();
export const fmtTime = (ms: number | null, timeZone = "UTC") => {
  if (ms === null) return "—";
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "medium", timeStyle: "short" });
    formatters.set(timeZone, f);
  }
  return f.format(ms);
};
