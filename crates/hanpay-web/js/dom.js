// DOM building blocks of the checkout engine and the PG adapters: the hidden form that carries
// the signed fields, the iframe layer, PG script tags and KCP's written iframe document.
//
// The decisions (which window, which fields, what a result means) are made in Rust; these are
// the plain DOM calls that carry them out. They live here because each is a dozen DOM calls
// that cost several times their size as wasm imports and glue (issue 8 size budget,
// docs/size.md). Values are always set as properties, never through markup, so field values
// shaped like HTML stay inert text.
//
// Forms are [LegacyOverrideBuiltIns]: an input named "submit", "remove", "action" or "style"
// hides the form's own member of that name. So a form's properties are set before its inputs
// exist, and its methods are called through the prototypes.

import { makeError } from "./errors.js";

// The page's window, or undefined outside one (a worker, Node). Used instead of web-sys's
// lookup, which probes four globals through as many imports.
export const browserWindow = () => (typeof window === "object" && window ? window : undefined);

const make = (doc, tag, css, mark) => {
  const el = doc.createElement(tag);
  if (css) el.style.cssText = css;
  if (mark) el.setAttribute("data-hanpay", mark);
  return el;
};

const bodyOf = (doc) => {
  if (!doc.body) throw new Error("document has no body");
  return doc.body;
};

// A hidden form in `doc`'s body with one hidden input per pair of the flat [name, value, …]
// list, each input's id set to its name when `ids` (XPay and KCP look fields up by id).
// With `ids`, a page element that already holds one of those ids is refused (NAME_CONFLICT):
// the PG script's getElementById would find it instead of hanpay's input.
export function buildForm(doc, name, action, method, charset, target, fields, ids) {
  for (let i = 0; ids && i < fields.length; i += 2)
    if (doc.getElementById(fields[i])) throw makeError("NAME_CONFLICT", `the page already has an element with id ${fields[i]}`);
  const form = make(doc, "form", "display:none", "checkout");
  if (name) form.name = name;
  if (name && ids) form.id = name;
  if (action) form.action = action;
  form.method = method || "post";
  if (charset) form.acceptCharset = charset;
  if (target) form.target = target;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const input = doc.createElement("input");
    input.type = "hidden";
    input.name = fields[i];
    input.value = fields[i + 1];
    if (ids) input.id = fields[i];
    form.appendChild(input);
  }
  bodyOf(doc).appendChild(form);
  return form;
}

// Posts the fields to `action` in the window or frame named `target`, then removes the form.
// `accept-charset` makes the browser encode for EUC-KR PGs (Smartro, KCP), including the
// `&#NNNNN;` references those PGs expect for characters EUC-KR lacks.
// With `win` (hanpay's own popup or layer window) the post goes by a random name `win` holds
// for that moment only (security review, finding 4): the browser's name lookup finds a
// third-party frame that named itself `payWindow` before the popup, and window.frames[name]
// does not even show a cross-origin one. `win` gets its fixed name back (Smartro needs it,
// manual 001 §3.1) before the PG page loads: the target is chosen inside submit().
// `fields` may also be a plain object (KISPG's message `data`): its own string and number
// values are posted, as the official sample's receive_result does.
export function postForm(action, method, charset, target, fields, win) {
  if (!Array.isArray(fields))
    fields = Object.entries(Object(fields)).flatMap(([k, v]) => (/^[sn]/.test(typeof v) ? [k, String(v)] : []));
  const name = win ? `hanpay-${crypto.getRandomValues(new Uint32Array(2)).join("-")}` : target;
  if (win) win.name = name;
  const form = buildForm(document, "", action, method, charset, name, fields, false);
  try {
    HTMLFormElement.prototype.submit.call(form);
  } finally {
    Element.prototype.remove.call(form);
    if (win) win.name = target;
  }
}

// The iframe layer of `session`: a dimmer over the page, a labelled dialog with a close button,
// the iframe, and focusable guards before and after them: focus that reaches a guard (Tab out
// of the PG's cross-origin frame, whose key events the page never sees) is sent back inside,
// past the end to the close button, before the start to the frame. The close button and Escape
// are the buyer's cancel (USER_CANCEL); a layer removed by someone else (a SPA route change,
// say) ends the payment with WINDOW_CLOSED. The layer goes when the session settles.
// `w`×`h` is the PG's own frame size (KSNET 822×630); 0×0 is a hidden frame in a small dialog
// that only holds the close button (Smartro FORWARD=N: its module opens its own window).
// Returns [closeButton, iframe].
export function createLayer(session, frameName, title, w, h) {
  const doc = document;
  const root = make(
    doc,
    "div",
    "position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,0.5);display:flex;align-items:center;justify-content:center",
    "layer",
  );
  const dialog = make(
    doc,
    "div",
    `position:relative;width:min(${w || 48}px, 100vw);height:min(${h || 40}px, 100vh);background:#fff;border-radius:8px;overflow:hidden`,
  );
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("aria-label", title);
  const close = make(
    doc,
    "button",
    "position:absolute;top:4px;right:4px;z-index:1;font-size:20px;line-height:1;padding:6px 10px;border:0;background:transparent;cursor:pointer",
    "close",
  );
  close.type = "button";
  close.setAttribute("aria-label", "결제 닫기 (Close)");
  close.textContent = "×";
  const frame = make(doc, "iframe", w ? "width:100%;height:100%;border:0" : "width:0;height:0;border:0", "frame");
  frame.name = frameName;
  frame.title = title;
  const guard = () => {
    const g = make(doc, "span", "", "focus-guard");
    g.tabIndex = 0;
    return g;
  };
  const start = guard();
  const end = guard();
  dialog.append(start, close, frame, end);
  root.appendChild(dialog);
  bodyOf(doc).appendChild(root);
  const cancel = () => session.settle(false, makeError("USER_CANCEL", "the payment layer was closed"));
  session.listen(close, "click", cancel);
  session.listen(doc, "keydown", (e) => e.key === "Escape" && (e.preventDefault(), cancel()));
  session.listen(end, "focus", () => close.focus());
  session.listen(start, "focus", () => frame.focus());
  session.every(300, () => root.isConnected || session.settle(false, makeError("WINDOW_CLOSED", "the payment layer was removed from the page")));
  session.own(root, "remove");
  return [close, frame];
}

// A redirect that comes back through the back button (a page restored from the back-forward
// cache) without a result means the buyer left the PG page (USER_CANCEL).
export function watchReturn(session) {
  session.listen(window, "pageshow", (e) => e.persisted && session.settle(false, makeError("USER_CANCEL", "returned from the payment page without a result")));
}

// A closed popup means the buyer gave up (USER_CANCEL): polled every 300 ms, and settled only
// after `graceMs`, because a return page that relays and then closes itself must win over the
// close it causes.
export function watchPopup(session, popup, graceMs) {
  let noticed = false;
  session.every(300, () => {
    let closed = true;
    try {
      closed = popup.closed;
    } catch {
      // an unreadable window counts as closed
    }
    if (closed && !noticed) {
      noticed = true;
      session.timer(graceMs, () => session.settle(false, makeError("USER_CANCEL", "the payment window was closed before a result arrived")));
    }
  });
}

// One browser payment session (issue #15 item 4): the promise of an `open()` or `pay()`, settled
// once, and what it holds: listeners, timers, page globals, and its popup, layer, frame and the
// focus to give back (`own`). All are released when it settles, before the promise's handlers
// run, and it is marked settled first: a page handler the release runs (focus, pagehide) that
// re-enters the flow (a KSNET `goResult` from a focus handler, say) finds it settled. It fails
// with TIMEOUT after `timeoutMs` (none when negative; `timeout` sets it later). Rust decides what to hold and when to settle; the callbacks
// it passes are owned by JavaScript, so nothing is freed while it runs (docs/size.md: as Rust
// state, the three settle-once machines this replaces cost several times this).
export class Session {
  constructor(timeoutMs) {
    this.settled = false;
    this.ends = [];
    this.owned = [];
    this.promise = new Promise((ok, fail) => ((this.ok = ok), (this.fail = fail)));
    if (timeoutMs >= 0) this.timeout(timeoutMs);
  }
  timeout(ms) {
    this.timer(ms, () => this.settle(false, makeError("TIMEOUT", "no payment result arrived in time")));
  }
  settle(ok, value) {
    if (this.settled) return;
    this.settled = true;
    for (const f of [...this.ends.splice(0), ...this.owned.splice(0)])
      try {
        f();
      } catch {
        // a window or element that is already gone
      }
    (ok ? this.ok : this.fail)(value);
  }
  listen(target, kind, f) {
    target.addEventListener(kind, f);
    this.ends.push(() => target.removeEventListener(kind, f));
  }
  timer(ms, f) {
    const id = setTimeout(f, ms);
    this.ends.push(() => clearTimeout(id));
  }
  every(ms, f) {
    const id = setInterval(f, ms);
    this.ends.push(() => clearInterval(id));
  }
  // Sets the page global `name` (a PG script calls it by name) for this session only: one that
  // is already set belongs to a concurrent payment or to the page, and taking it over would let
  // one settle, or delete, another's (finding 7). Released only while it is still `f`.
  global(target, name, f) {
    if (ownValue(target, name) !== undefined) throw makeError("NAME_CONFLICT", `${name} is held by another window, frame or payment`, { field: name });
    target[name] = f;
    this.ends.push(() => ownValue(target, name) === f && delete target[name]);
  }
  // Calls `o[method]()` when the session settles, if `o` still has it (`close` a popup,
  // `remove` a layer or frame, `focus` the element that had focus, XPay's `closeIframe`).
  own(o, method) {
    this.owned.push(() => typeof o[method] === "function" && o[method]());
  }
  // Runs `step` with the value of `value` (a promise or a plain value) unless settled by then; a
  // rejection, or a step that returns one, fails the session.
  then(value, step) {
    Promise.resolve(value)
      .then((v) => this.settled || step(v))
      .then(null, (e) => this.settle(false, e));
  }
}

// The PG's refusal, as crates/hanpay-web/src/adapters/flow.rs `refusal` writes it for the Rust adapters:
// USER_CANCEL for the buyer's cancel, else PG_ERROR with the PG's code and message.
const refusal = (code, msg, cancelled) =>
  cancelled
    ? makeError("USER_CANCEL", "the payment was cancelled in the PG window")
    : makeError("PG_ERROR", msg || "the PG declined the payment", { pgCode: code, pgMessage: msg });

// A string own property of `o`, or "".
const text = (o, k) => {
  const v = ownValue(o, k);
  return typeof v === "string" ? v : "";
};

// SMARTRO PAY (crates/hanpay-web/src/adapters/smartropay.rs): loads the module script, writes the hidden form
// the module reads by `FormId` (replacing a stale one of an earlier attempt), then
// smartropay.init({mode}) and payment({FormId, Callback}). Phones (`orderId` undefined) get no
// Callback, as in the samples, and the page transitions. The PC Callback removes the form and
// settles `session`: `Tid` + `TrAuthKey` are `{next: "approve"}` (S6, S7); without them a
// `ResultCode` is the PG's refusal, no `ResultCode` the buyer leaving (USER_CANCEL, unverified:
// no source shows the real module's cancel). A load failure, or a script that defines no
// `smartropay` (a misconfigured script URL; the adapter only loads the four signed module
// URLs), fails the session.
export function smartroPay(session, src, timeoutMs, fields, mode, orderId) {
  const id = "hanpay-smartropay";
  session.then(loadScript(document, src, timeoutMs, "SCRIPT_LOAD_FAILED"), () => {
    document.getElementById(id)?.remove();
    const form = buildForm(document, id, "", "post", "UTF-8", "", fields, false);
    Element.prototype.setAttribute.call(form, "id", id);
    const opts = { FormId: id };
    if (orderId !== undefined)
      opts.Callback = (res) => {
        Element.prototype.remove.call(form);
        const [Tid, TrAuthKey, code] = ["Tid", "TrAuthKey", "ResultCode"].map((k) => text(res, k));
        if (Tid && TrAuthKey)
          session.settle(true, { pg: "smartropay", orderId, status: "authenticated", success: false, next: "approve", Tid, TrAuthKey });
        else session.settle(false, refusal(code, text(res, "ResultMsg"), !code));
      };
    smartropay.init({ mode });
    smartropay.payment(opts);
  });
}

// KISPG's PC window ends with `{resultCode: '0000' | 'XXXX', data}` posted to its parent
// (qwerthong/qwerthong.github.io:paySample.jsp@e245accd, `returnData`, "수정 불가능"), taken
// only from `origins` (space-separated: KISPG's own, and a sandbox's) and from the layer's
// `frame`. `0000`: `data` goes to `returnUrl` in that frame, as the sample's `receive_result`
// posts it (there the merchant's return page verifies and relays as usual); the frame shows
// KISPG's cross-origin page now, so the post goes by the name the layer gave it. `XXXX`
// ("인증실패시"): the sample only shows `resultCd` and `resultMsg` and closes the window; a
// message naming 취소 is the buyer's cancel, anything else the PG's error. Any other code is
// not KISPG's and is ignored. crates/hanpay-web/src/open.rs leaves every message with a `resultCode` here.
export function pgChannel(session, frame, origins, returnUrl, charset) {
  session.listen(window, "message", (e) => {
    const code = ownValue(e.data, "resultCode");
    const data = ownValue(e.data, "data");
    if (session.settled || !origins.split(" ").includes(e.origin) || !e.source || e.source !== frame.contentWindow) return;
    try {
      if (code === "0000" && data !== null && typeof data === "object") postForm(returnUrl, "post", charset, frame.name, data, null);
    } catch (err) {
      session.settle(false, err);
    }
    if (code === "XXXX") {
      const msg = text(data, "resultMsg");
      session.settle(false, refusal(text(data, "resultCd"), msg, msg.includes("취소")));
    }
  });
}

// Appends <script src> to `doc`; the promise fulfils once it has run and rejects with a
// HanpayError of `code` (SCRIPT_LOAD_FAILED) on a load error or after `timeoutMs`.
export function loadScript(doc, src, timeoutMs, code) {
  return new Promise((resolve, reject) => {
    const script = make(doc, "script", "", "pg-script");
    const timer = setTimeout(() => reject(makeError(code, "the PG script did not load in time")), timeoutMs);
    script.onload = () => {
      clearTimeout(timer);
      resolve();
    };
    script.onerror = () => {
      clearTimeout(timer);
      reject(makeError(code, "the PG script failed to load"));
    };
    script.src = src;
    bodyOf(doc).appendChild(script);
  });
}

// A same-origin iframe over the whole page whose document is open for writing (KCP: its
// script uses document.write, which only a parser-inserted script may do). Returns the iframe.
export function openFrame(title, mark) {
  const frame = make(
    document,
    "iframe",
    "position:fixed;inset:0;width:100%;height:100%;border:0;z-index:2147483000",
    mark,
  );
  frame.title = title;
  frame.setAttribute("allowtransparency", "true");
  bodyOf(document).appendChild(frame);
  frame.contentDocument.open();
  return frame;
}

// Writes a page whose only content is <script src> into the frame `openFrame` opened and
// closes the document. `onError` runs if the script fails to load, `onLoad` once the written
// document (script included) has loaded.
export function writeScript(frame, src, onError, onLoad) {
  const doc = frame.contentDocument;
  const quoted = src.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  doc.write(`<!doctype html><html><head><meta charset=utf-8><script src="${quoted}"></script></head><body></body></html>`);
  doc.querySelector("script").addEventListener("error", onError);
  frame.addEventListener("load", onLoad);
  doc.close();
}

// The value of the field `name` of `form` (a form of any realm), or "".
export function formValue(form, name) {
  const el = form[name];
  return el && typeof el.value === "string" ? el.value : "";
}

// The value of the element with id `id` in the document of `frame` (an iframe element), or "".
export function frameValue(frame, id) {
  try {
    const el = frame.contentDocument.getElementById(id);
    return typeof el.value === "string" ? el.value : "";
  } catch {
    return ""; // no frame, a cross-origin one, or no such element
  }
}

// Caller-supplied objects (options, forms, result messages) are read through these two, never
// through the prototype chain: a page with a prototype-pollution bug elsewhere must not be able
// to supply `sandbox`, `allowedOrigins` or `requestId` (security review, finding 3). A getter
// is not run, so page code cannot answer one read differently from the next.

// The own data value of `o[k]`, or undefined.
export function ownValue(o, k) {
  try {
    const d = Reflect.getOwnPropertyDescriptor(o, k);
    // hasOwn, not `in` or `d.value` alone: the descriptor itself inherits from Object.prototype.
    return d && Object.hasOwn(d, "value") ? d.value : undefined;
  } catch {
    return undefined; // not an object, or a Proxy that throws
  }
}

// A null-prototype copy of `o`'s own enumerable data properties (`o` itself if not an object):
// the PG adapters copy options and forms once, and everything after reads the copy.
export function ownCopy(o) {
  if (o === null || typeof o !== "object") return o;
  const copy = Object.create(null);
  for (const k of Object.keys(o)) {
    const v = ownValue(o, k);
    if (v !== undefined) copy[k] = v;
  }
  return copy;
}

// Whether the checkout form may be posted into `win`, named `name` (findings 4, 5): 1 when the
// popup was closed or the layer's `frame` left the page (nothing must be posted then: a post by
// name would open a new, untracked PG window); 2 when `win` is not the same-origin about:blank
// window hanpay created under that name — a popup must also be a top-level window opened by
// this page and not its opener, and a `fresh` one must be new (window.open hands back any
// window already holding the name) — or when, for the layer, window.frames[name] finds another
// frame first (it finds none for a cross-origin frame that named itself); else 0.
const opened = new WeakSet();
export function postTarget(name, win, frame, fresh) {
  try {
    if ((frame && !frame.isConnected) || !win || win.closed) return 1;
    if (win.location.href !== "about:blank" || win.name !== name) return 2;
    if (frame ? window.frames[name] !== win : win.opener !== window || win === window.opener || win.top !== win) return 2;
    if (fresh && opened.has(win)) return 2;
    opened.add(win);
    return 0;
  } catch {
    return 2; // cross-origin: not a window hanpay created
  }
}

// Whether `win` (hanpay's popup or layer window, or the iframe element holding it) shows the
// same-origin page `url`: the page a PG's relay page calls the opener's globals from (KSNET
// `sndReply`, XPay `LGD_RETURNURL`), so a call made while the window shows anything else came
// from some other frame (finding 7).
export function showsPage(win, url) {
  try {
    const w = win.nodeType === 1 ? win.contentWindow : win;
    const at = w.location;
    const want = new URL(url, location.href);
    return at.origin === location.origin && at.origin === want.origin && at.pathname === want.pathname;
  } catch {
    return false;
  }
}

// The hybrid-app bridges of this window as bits: 1 ReactNativeWebView, 2 webkit.messageHandlers,
// 4 HanpayAndroid. Named elements and frames appear as window properties too (<img
// name=HanpayAndroid>, <form id=webkit><input name=messageHandlers>), so DOM nodes, windows and
// collections of them do not count, and React Native's bridge needs a real postMessage (finding 8).
const bridge = (o) => {
  try {
    return (
      o !== null &&
      typeof o === "object" &&
      typeof o.nodeType !== "number" &&
      o.window !== o &&
      !/Collection|NodeList/.test(Object.prototype.toString.call(o))
    );
  } catch {
    return false;
  }
};
export function bridges() {
  const w = window;
  let bits = 0;
  if (bridge(w.ReactNativeWebView) && typeof w.ReactNativeWebView.postMessage === "function") bits |= 1;
  try {
    if (bridge(w.webkit) && bridge(w.webkit.messageHandlers)) bits |= 2;
  } catch {
    // a cross-origin frame named webkit
  }
  if (bridge(w.HanpayAndroid)) bits |= 4;
  return bits;
}

// Whether `s` is exactly the http(s) origin the URL parser serializes from it: postMessage
// parses its targetOrigin with that parser, so a string it would rewrite (`\`, TAB, upper case,
// a default port) could name another origin than the one the return page checked (finding 9).
export function exactOrigin(s) {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.origin === s;
  } catch {
    return false;
  }
}
