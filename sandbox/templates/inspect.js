// The inspector page: polls /_inspect.json and draws it. Every value is set with textContent,
// never parsed as HTML: field values are whatever a buyer, merchant or attacker sent.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const requests = new Map();
  const notices = new Map();
  let since = 0;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c ?? "")));
    return e;
  }

  const time = (ms) => new Date(ms).toISOString().slice(11, 23);

  function fieldTable(fields, withLimits) {
    const head = withLimits ? ["field", "value", "bytes", "limit"] : ["field", "value"];
    const t = el("table", {}, el("tr", {}, ...head.map((h) => el("th", {}, h))));
    for (const f of fields) {
      const row = withLimits
        ? el("tr", { class: f.over ? "over" : "" }, el("td", {}, f.name), el("td", { class: "value" }, f.value),
            el("td", {}, f.bytes), el("td", {}, f.max == null ? "—" : `${f.over ? "over " : ""}${f.max}`))
        : el("tr", {}, el("td", {}, f[0]), el("td", { class: "value" }, f[1]));
      t.append(row);
    }
    return t;
  }

  function drawRequest(r) {
    const sig = r.signatureField ? `${r.signatureField}: ${r.signature}` : "unsigned path";
    const over = r.fields.filter((f) => f.over).length;
    const d = el("details", { "data-seq": r.seq, "data-pg": r.pg },
      el("summary", {}, `${time(r.atMs)} ${r.pg} ${r.method} ${r.path} → ${r.status}`,
        r.error ? ` (${r.error})` : "", " · ", el("span", { class: r.signature }, sig),
        over ? ` · ${over} field(s) over the limit` : ""),
      el("p", {}, `charset ${r.charset}; ${r.fields.length} field(s)`, r.query ? `; query ${r.query}` : ""),
      fieldTable(r.fields, true),
      el("p", {}, `answer: ${r.status} ${r.contentType}`),
      el("pre", {}, r.bodyExcerpt));
    return d;
  }

  function drawNotice(n) {
    const state = n.delivered == null ? "delivering…" : n.delivered ? "delivered" : "given up";
    const attempts = el("table", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "time"), el("th", {}, "status"), el("th", {}, "merchant replied")));
    for (const a of n.attempts) {
      attempts.append(el("tr", {}, el("td", {}, a.n), el("td", {}, time(a.atMs)), el("td", {}, a.status ?? "error"), el("td", { class: "value" }, a.reply)));
    }
    return el("details", { "data-seq": n.seq, "data-pg": n.pg, open: "" },
      el("summary", {}, `${time(n.atMs)} ${n.pg} → ${n.url} · ${n.attempts.length} attempt(s) · ${state}`),
      attempts, fieldTable(n.fields, false));
  }

  function upsert(map, container, item, draw) {
    const node = draw(item);
    const old = map.get(item.seq);
    if (old) {
      if (old.open) node.open = true;
      old.replaceWith(node);
    } else {
      container.prepend(node);
    }
    map.set(item.seq, node);
  }

  async function poll() {
    try {
      const res = await fetch(`/_inspect.json?since=${since}`, { cache: "no-store" });
      const snap = await res.json();
      for (const r of snap.requests) upsert(requests, $("requests"), r, drawRequest);
      for (const n of snap.notices) upsert(notices, $("notices"), n, drawNotice);
      // The server keeps only the newest entries; so does the page.
      for (const [map, max] of [[requests, snap.maxRequests], [notices, snap.maxNotices]]) {
        for (const seq of [...map.keys()].sort((a, b) => a - b).slice(0, Math.max(0, map.size - max))) {
          map.get(seq).remove();
          map.delete(seq);
        }
      }
      since = snap.seq;
      $("request-count").textContent = `(${requests.size})`;
      $("notice-count").textContent = `(${notices.size})`;
      $("status").textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      $("status").textContent = `not updated: ${e}`;
    }
  }

  poll();
  setInterval(() => $("live").checked && poll(), 1000);
})();
