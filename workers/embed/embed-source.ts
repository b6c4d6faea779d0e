/**
 * The embed snippet, served at /embed.js:
 *   <script src="https://<worker>/embed.js" data-form="<formKey>" async></script>
 *
 * Plain ES5-ish browser JS kept as a string (no bundler step, no dependencies): wrangler bundles only the
 * Worker, and this code must run as is on any host page. Whole-line comments and indentation are stripped
 * when served (see embed-script.ts); keep `//` comments on their own lines and never use backticks or
 * template placeholders in here.
 *
 * What it does: renders the form's fields inside a Shadow DOM (host CSS cannot reach in, ours cannot leak
 * out) under an inner wrapper that resets every property: inherited ones (a page's `* {color:red !important}`
 * matches the host element and would flow in) start from initial values again; labels, keyboard-only use, errors tied
 * to their fields and announced through a live region; sends UTM parameters, referrer, page URL, the honeypot, the time
 * since render (`_elapsed_ms`, the server's time trap) and a per-entry id (`_sid`, the server dedups retries on it);
 * keeps the entry in localStorage until the server acknowledged it and retries network/5xx failures with backoff (and
 * on the next page load); optional Cloudflare Turnstile.
 */
// biome-ignore lint/complexity/noUselessStringRaw: escapes added later must reach the browser as written.
export const EMBED_SOURCE = String.raw`
(function () {
  var d = document, cur = d.currentScript;
  // Important in :host beats the page's important rules on the host (shadow cascade order); .w then cuts
  // inheritance from whatever the host still computes. Sizes in em, not rem: a page may resize its root.
  var CSS = ":host{all:initial!important;display:block!important}" +
    ".w{all:initial;display:block;max-width:34em;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;" +
    "color:#1f2328;text-align:start}" +
    "*{box-sizing:border-box}.f{margin:0 0 .9em}label{display:block;font-weight:600;margin:0 0 .25em}" +
    "input,select,textarea{display:block;width:100%;font:inherit;padding:.6em .7em;border:1px solid #8c959f;" +
    "border-radius:.4em;background:#fff;color:inherit}" +
    "input[type=checkbox]{display:inline-block;width:1.25em;height:1.25em;vertical-align:middle}" +
    ":focus-visible{outline:3px solid #0969da;outline-offset:2px}[aria-invalid=true]{border-color:#cf222e}" +
    ".er{display:block;color:#cf222e;font-size:.9em;min-height:0}" +
    "button{font:inherit;font-weight:600;min-height:44px;padding:.6em 1.4em;border:0;border-radius:.4em;" +
    "background:#0969da;color:#fff;cursor:pointer}" +
    "button:disabled{opacity:.6;cursor:wait}.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}" +
    ".st{margin:.75em 0 0}.ok{font-weight:600;font-size:1.1em}.hi{margin:0 0 .9em;font-size:.9em;color:#57606a}";
  var UTM = ["source", "medium", "campaign", "term", "content"];
  var CONTACT = "Enter an email or a phone number so we can reply.";
  // async scripts have currentScript while they run; otherwise mount every tag not mounted yet.
  var tags = cur && cur.getAttribute("data-form") ? [cur] : d.querySelectorAll("script[data-form][src*='/embed.js']");
  for (var i = 0; i < tags.length; i++) mount(tags[i]);

  function el(tag, attrs, text) {
    var e = d.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }

  function mount(tag) {
    if (tag.getAttribute("data-lr-mounted")) return;
    tag.setAttribute("data-lr-mounted", "1");
    var key = tag.getAttribute("data-form");
    var api = new URL(tag.src).origin + "/f/" + encodeURIComponent(key);
    var qk = "leadrelay:" + key;
    // A custom element name: page rules on div, section or p never match the host.
    var host = el("leadrelay-form", { "class": "leadrelay-form" });
    tag.parentNode.insertBefore(host, tag.nextSibling);
    var root = host.attachShadow({ mode: "open" });
    root.innerHTML = "<style>" + CSS + "</style>";
    var wrap = el("div", { "class": "w" });
    root.appendChild(wrap);
    var live = el("p", { "class": "st", role: "status", "aria-live": "polite" });
    fetch(api + "/schema").then(function (r) {
      if (!r.ok) throw r;
      return r.json();
    }).then(render, function () {
      wrap.appendChild(live);
      live.textContent = "This form could not be loaded.";
    });
    // Entries from an earlier visit that were never acknowledged.
    load().forEach(function (x) { send(x, 0, true); });

    function load() {
      try { return JSON.parse(localStorage.getItem(qk)) || []; } catch (e) { return []; }
    }
    function store(list) {
      try { list.length ? localStorage.setItem(qk, JSON.stringify(list)) : localStorage.removeItem(qk); } catch (e) {}
    }
    function drop(data) {
      store(load().filter(function (x) { return x._sid !== data._sid; }));
    }

    var f, form, btn, inputs = [], errs = [], busy = false, wid, t0, consent, reach = [];
    function say(text) { live.textContent = text; }

    function render(schema) {
      f = schema;
      t0 = Date.now();
      form = el("form", { novalidate: "", "aria-label": "Contact form" });
      // Either contact will do; when neither is required on its own, say so before the visitor submits.
      f.fields.forEach(function (x, i) { if (x.name === "email" || x.name === "phone") reach.push(i); });
      var ask = reach.length && !reach.some(function (i) { return f.fields[i].required; });
      if (ask) form.appendChild(el("p", { id: "lrh", "class": "hi" }, CONTACT));
      f.fields.forEach(function (x, i) {
        var id = "lr" + i, box = el("div", { "class": "f" }), input;
        if (x.type === "textarea") input = el("textarea", { rows: "4" });
        else if (x.type === "select") {
          input = el("select");
          input.appendChild(el("option", { value: "" }, "Choose…"));
          (x.options || []).forEach(function (o) { input.appendChild(el("option", { value: o }, o)); });
        } else input = el("input", { type: x.type === "text" ? "text" : x.type });
        input.id = id;
        input.name = x.name;
        if (x.required) { input.required = true; input.setAttribute("aria-required", "true"); }
        if (x.maxLength && x.type !== "select") input.maxLength = x.maxLength;
        var ac = { name: "name", email: "email", phone: "tel" }[x.name];
        if (ac) input.setAttribute("autocomplete", ac);
        if (x.type === "tel") input.setAttribute("inputmode", "tel");
        var err = el("span", { id: id + "e", "class": "er" });
        input.setAttribute("aria-describedby", id + "e" + (ask && reach.indexOf(i) >= 0 ? " lrh" : ""));
        // Names and messages in Arabic or Hebrew run right to left as they are typed.
        if (x.type === "text" || x.type === "textarea") input.setAttribute("dir", "auto");
        var label = el("label", { "for": id }, x.label);
        // The star is for the eye; assistive tech hears "required" from aria-required instead.
        if (x.required) label.appendChild(el("span", { "aria-hidden": "true" }, " *"));
        if (x.type === "checkbox") { label.insertBefore(input, label.firstChild); box.appendChild(label); }
        else { box.appendChild(label); box.appendChild(input); }
        box.appendChild(err);
        form.appendChild(box);
        inputs.push(input);
        errs.push(err);
      });
      // Humans never see or reach the honeypot; bots that fill every input do.
      var hp = el("div", { "class": "hp", "aria-hidden": "true" });
      var hpi = el("input", { type: "text", name: f.honeypotField, tabindex: "-1", autocomplete: "off" });
      hp.appendChild(hpi);
      form.appendChild(hp);
      if (f.consentText) {
        var cb = el("div", { "class": "f" }), cl = el("label", {});
        consent = el("input", { type: "checkbox", name: "_consent" });
        cl.appendChild(consent);
        cl.appendChild(d.createTextNode(" " + f.consentText));
        cb.appendChild(cl);
        form.appendChild(cb);
      }
      if (f.turnstileSiteKey) turnstile(f.turnstileSiteKey);
      btn = el("button", { type: "submit" }, "Send");
      form.appendChild(btn);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (busy) return;
        var data = {}, bad = [];
        f.fields.forEach(function (x, i) {
          var input = inputs[i];
          var v = input.type === "checkbox" ? (input.checked ? "yes" : "") : input.value.trim();
          var msg = "";
          if (x.required && !v) msg = x.label + " is required.";
          else if (v && !input.checkValidity()) msg = input.validationMessage || "Please check this field.";
          mark(i, msg);
          if (msg) bad.push(input);
          if (v) data[x.name] = v;
        });
        if (ask && !reach.some(function (i) { return data[f.fields[i].name]; })) {
          reach.forEach(function (i) { mark(i, CONTACT); bad.push(inputs[i]); });
          bad.sort(function (a, b) { return inputs.indexOf(a) - inputs.indexOf(b); });
        }
        if (bad.length) {
          say(bad.length === 1 ? "Please fix 1 field." : "Please fix " + bad.length + " fields.");
          bad[0].focus();
          return;
        }
        var q = new URLSearchParams(location.search);
        UTM.forEach(function (k) { var v = q.get("utm_" + k); if (v) data["utm_" + k] = v; });
        data[f.honeypotField] = hpi.value;
        if (consent) data._consent = consent.checked ? "yes" : "no";
        data.page_url = location.href;
        data.referrer = d.referrer;
        data._elapsed_ms = Date.now() - t0;
        data._sid = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
        if (wid !== undefined) data["cf-turnstile-response"] = window.turnstile.getResponse(wid);
        store(load().concat([data]));
        send(data, 0, false);
      });
      wrap.appendChild(form);
      wrap.appendChild(live);
    }

    function mark(i, msg) {
      errs[i].textContent = msg;
      if (msg) inputs[i].setAttribute("aria-invalid", "true");
      else inputs[i].removeAttribute("aria-invalid");
    }

    function turnstile(sitekey) {
      // Turnstile's iframe lives in the light DOM, slotted into our shadow tree.
      var box = el("div", { slot: "ts" });
      host.appendChild(box);
      form.appendChild(el("slot", { name: "ts" }));
      var s = el("script", { src: "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit", async: "" });
      s.onload = function () { wid = window.turnstile.render(box, { sitekey: sitekey }); };
      d.head.appendChild(s);
    }

    // quiet: a replay from an earlier visit; it never touches the current form.
    function send(data, n, quiet) {
      if (!quiet) { busy = true; btn.disabled = true; say(n ? "Still trying to send…" : "Sending…"); }
      fetch(api, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) })
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (j) { return { r: r, j: j }; });
        })
        .then(function (res) {
          var s = res.r.status;
          if (s >= 500 || s === 429 || s === 408) throw res;
          // Acknowledged, or refused for a reason retrying will not fix: either way the entry is settled.
          drop(data);
          if (!quiet) s < 300 ? done(res.j) : fail(res.j);
        })
        .catch(function () {
          if (n < 6) setTimeout(function () { send(data, n + 1, quiet); }, Math.min(30000, 1000 * Math.pow(2, n)));
          else if (!quiet) {
            busy = false;
            btn.disabled = false;
            say("We could not reach the server. Your entry is saved and will be sent on your next visit.");
          }
        });
    }

    function done(j) {
      if (f.redirectUrl) { location.href = f.redirectUrl; return; }
      form.remove();
      live.className = "st ok";
      live.tabIndex = -1;
      say(j.message || f.successMessage);
      live.focus();
    }

    function fail(j) {
      busy = false;
      btn.disabled = false;
      var e = (j && j.error) || {}, fields = e.fields || {}, first, n = 0;
      f.fields.forEach(function (x, i) {
        mark(i, fields[x.name] || "");
        if (fields[x.name]) { n++; if (!first) first = inputs[i]; }
      });
      var fix = n === 1 ? "Please fix 1 field." : "Please fix " + n + " fields.";
      say(n ? fix : e.message || "Please check the form.");
      if (first) first.focus();
    }
  }
})();
`;
