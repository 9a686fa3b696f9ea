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
export function buildForm(doc, name, action, method, charset, target, fields, ids) {
  const form = make(doc, "form", "display:none", "checkout");
  if (name) form.name = name;
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
export function postForm(action, method, charset, target, fields) {
  const form = buildForm(document, "", action, method, charset, target, fields, false);
  try {
    HTMLFormElement.prototype.submit.call(form);
  } finally {
    Element.prototype.remove.call(form);
  }
}

// The iframe layer: a dimmer over the page, a labelled dialog with a close button, the iframe,
// and focusable guards before and after them (focus that reaches a guard, e.g. Tab out of the
// PG's cross-origin frame, is sent back inside by the engine).
// Returns [root, closeButton, iframe, guardStart, guardEnd].
export function createLayer(frameName, title) {
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
    "position:relative;width:min(720px, 100vw);height:min(640px, 100vh);background:#fff;border-radius:8px;overflow:hidden",
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
  const frame = make(doc, "iframe", "width:100%;height:100%;border:0", "frame");
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
  return [root, close, frame, start, end];
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
