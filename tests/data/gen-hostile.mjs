// Generates tests/data/hostile.json, the hostile-input corpus of issue 8 (run: node tests/data/gen-hostile.mjs).
//
// Every case carries its expected outcome, computed here from the documented rules, never by
// running hanpay:
//  - form fields: the field tables (name, max bytes, kind) and forbidden patterns are read from
//    crates/hanpay-pg/data/pg/<pg>.json, i.e. the manuals' tables; the outcome follows the validation order documented in crates/hanpay-pg/src/pg/mod.rs
//    (`validate`): max bytes, then the kind (digits, one-of, alphabet, format, safe URL), then for
//    free text the control-character rule and the PG's forbidden characters (each with its manual
//    section in the data file);
//  - URLs: data/apps.json's web and blocked scheme lists and the WHATWG cleaning of crates/hanpay-apps/src/uri.rs;
//  - notifications: the signature formulas of notes/pg-protocols.md, computed with node:crypto.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const ROOT = new URL("../../", import.meta.url).pathname;
const cases = [];
const add = (c) => cases.push({ id: `${c.kind}-${String(cases.length + 1).padStart(3, "0")}`, ...c });

// ---- forms -----------------------------------------------------------------------------------

// Every PG of the registry's data, in its `order` (crates/hanpay-pg/build/pg.rs).
const pgData = (pg) => JSON.parse(readFileSync(`${ROOT}crates/hanpay-pg/data/pg/${pg}.json`, "utf8"));
const PGS = readdirSync(`${ROOT}crates/hanpay-pg/data/pg`)
  .filter((f) => f.endsWith(".json"))
  .map((f) => pgData(f.slice(0, -5)))
  .sort((a, b) => a.order - b.order)
  .map((d) => d.pg);
// A field of every PG, by name: a PG missing from `fields` stops the generator (a new PG names
// its goods-name and amount fields here, which its `from_order` fills).
const everyPg = (what, fields) => {
  const missing = PGS.filter((pg) => !(pg in fields));
  if (missing.length) throw new Error(`gen-hostile: no ${what} field for ${missing.join(", ")}`);
  return Object.entries(fields);
};
// Forbidden patterns per PG, as the data files give them with their manual sections (Smartro,
// KISPG and SMARTRO PAY name none).
const FORBIDDEN = Object.fromEntries(PGS.map((pg) => [pg, pgData(pg).forbidden?.values ?? []]));
const BLOCKED = new Set(["javascript", "vbscript", "data", "file", "content", "android-app", "intent", "chrome", "chrome-extension"]);
const WEB = new Set(["http", "https", "about", "blob"]);

// The checkout request table (`FIELDS`) of crates/hanpay-pg/data/pg/<pg>.json, with the kind named as in Rust.
function fieldTable(pg) {
  const table = pgData(pg).tables.find((t) => t.table === "FIELDS");
  const KINDS = { text: "Text", digits: "Digits", url: "Url", timestamp: "Timestamp" };
  const kindOf = (k) =>
    typeof k === "string" ? KINDS[k] : k.one_of ? "OneOf" : k.format ? "Format" : "Alphabet";
  return table.rows.map((r) => ({ name: r.name, required: r.required, max: r.max || null, kind: kindOf(r.kind) }));
}

const hasControl = (s) => /[\u0000-\u001f\u007f-\u009f]/.test(s);
// crates/hanpay-pg/src/pg/mod.rs safe_url: no whitespace or controls; a scheme; not blocked; web schemes only http(s).
function safeUrl(v) {
  if (hasControl(v) || /\s/.test(v)) return false;
  const m = /^([A-Za-z][A-Za-z0-9+.\-_]*):/.exec(v);
  if (!m) return false;
  const scheme = m[1].toLowerCase();
  if (BLOCKED.has(scheme) && scheme !== "intent") return false;
  if (scheme === "intent") return false; // no `#Intent;` data URL in these payloads: unsafe-intent
  if (WEB.has(scheme)) return scheme === "http" || scheme === "https";
  return true;
}
const asciiBytes = (s) => Buffer.byteLength(s, "utf8"); // payloads below are ASCII

const TEXT_PAYLOADS = [
  ["control", "a\r\nb"],
  ["nul", "a\u0000b"],
  ["xss", "<svg onload=alert(1)>"],
  ["sql", "' OR '1'='1"],
  ["param", "a&LGD_AMOUNT=1"],
  ["pipe", "a|b,c"],
];
const URL_PAYLOADS = [
  ["javascript", "javascript:alert(1)"],
  ["case", "JaVaScRiPt:alert(1)"],
  ["space", " javascript:alert(1)"],
  ["tab", "java\tscript:alert(1)"],
  ["data", "data:text/html,<script>alert(1)</script>"],
  ["file", "file:///etc/passwd"],
  ["vbscript", "VBScript:msgbox(1)"],
  ["content", "content://com.evil/x"],
  ["blob", "blob:https://shop.example/1"],
  ["relative", "//evil.example/r"],
  ["percent", "javascript%3Aalert(1)"],
  ["https", "https://shop.example/r"],
  ["app", "myshop://pay/done"],
];

function expectFor(pg, f, value) {
  const fail = (rule) => ({ field: f.name, rule });
  if (f.max !== null && asciiBytes(value) > f.max) return fail("max_bytes");
  switch (f.kind) {
    case "Digits":
      return /^[0-9]+$/.test(value) ? { ok: true } : fail("digits");
    case "OneOf":
      return fail("one_of"); // no payload below is one of the documented values
    case "Alphabet": {
      const alphabet = ALPHABETS[`${pg}.${f.name}`] ?? /^[A-Za-z0-9_-]+$/; // order ids
      if (!alphabet.test(value)) return fail("alphabet");
      return hasControl(value) ? fail("forbidden_char") : { ok: true };
    }
    case "Timestamp":
      return fail("format"); // payloads are never YYYYMMDDHHMMSS
    case "Url":
      return safeUrl(value) ? { ok: true } : fail("format");
    case "Format":
      return fail("format");
    default: // free text
      if (hasControl(value)) return fail("forbidden_char");
      if (FORBIDDEN[pg].some((p) => value.includes(p))) return fail("forbidden_char");
      return { ok: true };
  }
}

// Alphabets other than the order-id one (crates/hanpay-pg/src/pg/kspay/mod.rs ascii_char, smartro.rs moid_char, kcp.rs site_cd_char).
const ALPHABETS = {
  "kspay.sndStoreNameEng": /^[\u0000-\u007f]+$/,
  "smartro.Moid": /^[^~`':;{}\[\]<>,.!@#$%^&*()_+\\/?\s]+$/,
  "kcp.site_cd": /^[A-Z0-9]+$/,
};

// Build-time rules that run before the table validation and own these fields (crates/hanpay-pg/src/pg/*.rs `build`).
const OWNED = {
  xpay: { CST_PLATFORM: "conflict", LGD_MID: "conflict" }, // must equal the mode's platform / "t" + CST_MID
  kcp: { site_cd: "conflict" }, // test mode accepts only the published test site codes (manual 003 F&Q 3014)
};

for (const pg of PGS) {
  for (const f of fieldTable(pg)) {
    let payloads;
    if (f.kind === "Url") payloads = URL_PAYLOADS;
    else if (f.kind === "Text") payloads = TEXT_PAYLOADS;
    else if (f.kind === "Format" && /Scheme$/.test(f.name)) payloads = [["javascript", "javascript://%0aalert(1)"], ["data", "data://x,<script>"]];
    else payloads = [["inject", "1;--"], ["control", "1\n"], ["c0", "1\u0001"]];
    for (const [label, value] of payloads) {
      let expect = expectFor(pg, f, value);
      const owned = OWNED[pg]?.[f.name];
      if (owned) expect = { field: f.name, rule: owned };
      add({
        kind: "form",
        source: `${label} in ${pg} ${f.name} (${f.kind}${f.max ? `, max ${f.max}` : ""}); rules: crates/hanpay-pg/src/pg/mod.rs validate`,
        pg,
        set: { [f.name]: value },
        expect,
      });
    }
  }
}

// Oversized free text and amounts (repeat: the test builds the value; max from the field tables).
for (const [pg, field] of everyPg("goods name", { xpay: "LGD_PRODUCTINFO", smartro: "GoodsName", kspay: "sndGoodname", kcp: "good_name", kispg: "goodsNm", smartropay: "GoodsName" })) {
  add({ kind: "form", source: `1 MB of ASCII in ${pg} ${field}: max_bytes, linear time`, pg, set: {}, repeat: { field, unit: "A", count: 1 << 20 }, expect: { field, rule: "max_bytes" } });
  add({ kind: "form", source: `100k Hangul in ${pg} ${field}: max_bytes in the PG charset`, pg, set: {}, repeat: { field, unit: "가", count: 100000 }, expect: { field, rule: "max_bytes" } });
}
for (const [pg, field] of everyPg("amount", { xpay: "LGD_AMOUNT", smartro: "Amt", kspay: "sndAmount", kcp: "good_mny", kispg: "goodsAmt", smartropay: "Amt" })) {
  add({ kind: "form", source: `${pg} ${field} beyond u64 and max bytes`, pg, set: { [field]: "99999999999999999999999" }, expect: { field, rule: "max_bytes" } });
  add({ kind: "form", source: `${pg} ${field} negative`, pg, set: { [field]: "-1" }, expect: { field, rule: "digits" } });
}

// ---- URLs (WebView classifier) -----------------------------------------------------------------

const C = (url, platform, action, reason, source) => add({ kind: "classify", source, url, platform, expect: { action, reason } });
const variants = (s) => [s, s.toUpperCase(), s[0].toUpperCase() + s.slice(1)];
for (const platform of ["android", "ios"]) {
  for (const scheme of ["javascript", "file", "content", "data", "vbscript"]) {
    const rest = scheme === "javascript" ? "alert(document.cookie)" : scheme === "data" ? "text/html;base64,PHNjcmlwdD4=" : "///etc/hosts";
    for (const v of variants(scheme)) C(`${v}:${rest}`, platform, "block", "blocked-scheme", `${v}: case variant (apps.json blocked_schemes)`);
    C(` \u0001${scheme}:${rest}`, platform, "block", "blocked-scheme", "leading space + C0 control stripped (WHATWG)");
    C(`${scheme}:${rest}\u0000 `, platform, "block", "blocked-scheme", "trailing NUL + space stripped (WHATWG)");
    C(`${scheme.slice(0, 2)}\t${scheme.slice(2, 4)}\n${scheme.slice(4)}\r:${rest}`, platform, "block", "blocked-scheme", "tab/LF/CR inside the scheme removed (WHATWG)");
    C(`${scheme}%3A${rest}`, platform, "block", "malformed-url", "percent-encoded colon: no scheme at all");
    C(`%${scheme.charCodeAt(0).toString(16)}${scheme.slice(1)}:${rest}`, platform, "block", "malformed-url", "percent-encoded first letter is not a scheme");
    C(`${scheme}\u00a0:${rest}`, platform, "block", "malformed-url", "NBSP is not stripped and not a scheme character");
  }
  for (const v of ["blob:https://shop.example/uuid", "BLOB:https://shop.example/uuid", " blob:https://a/1"])
    C(v, platform, "load", "web", "blob: stays in the WebView (apps.json web_schemes)");
  C("", platform, "block", "empty", "empty URL");
  C(" \t\n\u0001 ", platform, "block", "empty", "only whitespace and controls");
  C("://x", platform, "block", "malformed-url", "no scheme");
}

// Malicious intents (Android): only the data URL and a valid package can ever reach a launch.
const I = (url, expect, source) => add({ kind: "classify", source, url, platform: "android", expect });
I("intent://x#Intent;scheme=ispmobile;component=com.evil/.Steal;end", { action: "launch", reason: "intent", launch_url: "ispmobile://x", package: "kvp.jjy.MispAndroid320" }, "component is dropped; the package comes from the app table, never from the component (Google Play intent hijacking remediation)");
I("intent://x#Intent;scheme=ispmobile;package=kvp.jjy.MispAndroid320;component=com.evil/.Steal;end", { action: "launch", reason: "intent", launch_url: "ispmobile://x", package: "kvp.jjy.MispAndroid320" }, "explicit package + component: package kept, component dropped");
I("intent://x#Intent;scheme=ispmobile;SEL;component=com.evil/.Steal;end", { action: "launch", reason: "intent", launch_url: "ispmobile://x" }, "selector intent with a component is never launched");
I("intent://x#Intent;scheme=ispmobile;SEL;package=com.evil;scheme=javascript;end", { action: "launch", reason: "intent", launch_url: "ispmobile://x" }, "selector scheme/package ignored");
I("intent://x#Intent;scheme=intent;end", { action: "block", reason: "unsafe-intent" }, "nested intent as the target scheme");
I("intent:intent://x#Intent;scheme=ispmobile;end#Intent;end", { action: "block", reason: "unsafe-intent" }, "nested intent in the data part");
I("intent://x#Intent;scheme=javascript;end", { action: "block", reason: "unsafe-intent" }, "javascript target scheme");
I("intent://x#Intent;scheme=JavaScript;end", { action: "block", reason: "unsafe-intent" }, "javascript target scheme, mixed case");
I("intent://x#Intent;scheme=file;end", { action: "block", reason: "unsafe-intent" }, "file target scheme");
I("intent://x#Intent;scheme=content;end", { action: "block", reason: "unsafe-intent" }, "content target scheme");
I("intent://x#Intent;scheme=data;end", { action: "block", reason: "unsafe-intent" }, "data target scheme");
I("intent://x#Intent;scheme=blob;end", { action: "block", reason: "unsafe-intent" }, "blob target scheme (web, not an app)");
I("intent:#Intent;action=android.intent.action.VIEW;end", { action: "block", reason: "unsafe-intent" }, "no data URL");
I("intent://x#Intent;scheme=tel;action=android.intent.action.CALL;end", { action: "block", reason: "unsafe-intent" }, "action other than VIEW");
I("intent://x#Intent;scheme=ispmobile;package=com.evil%26id%3Dx;end", { action: "block", reason: "unsafe-intent" }, "package that would inject into market://details?id=");
I("intent://x#Intent;scheme=ispmobile;package=evil;end", { action: "block", reason: "unsafe-intent" }, "package with one segment");
I("intent://x#Intent;scheme=ispmobile;S.browser_fallback_url=javascript%3Aalert(1);end", { action: "launch", reason: "intent", fallback_url: null }, "javascript fallback dropped");
I("intent://x#Intent;scheme=ispmobile;S.browser_fallback_url=intent%3A%2F%2Fy%23Intent%3Bend;end", { action: "launch", reason: "intent", fallback_url: null }, "intent fallback dropped");
I("intent://x#Intent;scheme=ispmobile;S.browser_fallback_url=https%3A%2F%2Fshop.example%2Ff;end", { action: "launch", reason: "intent", fallback_url: "https://shop.example/f" }, "https fallback kept");
I("intent://x#Intent;scheme=ispmobile;i.n=notanumber;end", { action: "block", reason: "malformed-intent" }, "bad typed extra: Android's parser throws");
I("intent://x#Intent;scheme=ispmobile;d.n=inf;end", { action: "block", reason: "malformed-intent" }, "Java Double.parseDouble rejects 'inf' (only 'Infinity')");
I("intent://x#Intent;scheme=ispmobile;d.n=1.5d;f.m=0x1p3;end", { action: "launch", reason: "intent" }, "Java float literals with suffix and hex form are valid extras");
I("intent://x#Intent;scheme=ispmobile;f.n=0x1.8;end", { action: "block", reason: "malformed-intent" }, "hex float without binary exponent is rejected by Java");
I("intent://x#Intent;scheme=ispmobile;X.n=1;end", { action: "block", reason: "malformed-intent" }, "unknown extra type");
I("intent://x#Intent;scheme=ispmobile;launchFlags=0xZZ;end", { action: "block", reason: "malformed-intent" }, "bad launchFlags");
I("intent://x\"<>{}|#Intent;scheme=ispmobile;end", { action: "launch", reason: "intent", launch_url: "ispmobile://x%22%3C%3E%7B%7D%7C" }, "characters strict URI parsers reject are percent-encoded");
I(`intent://x#Intent;scheme=ispmobile;${"SEL;".repeat(2000)}end`, { action: "launch", reason: "intent", launch_url: "ispmobile://x" }, "2000 selector markers: linear, no nesting");
I(`intent://x#Intent;${"SEL;".repeat(2000)}scheme=ispmobile;end`, { action: "block", reason: "unsafe-intent" }, "a scheme given only to the selector does not make the main intent launchable");
add({ kind: "classify", source: "1 MB URL: linear time", url: "", repeat: { prefix: "https://shop.example/?q=", unit: "a", count: 1 << 20 }, platform: "android", expect: { action: "load", reason: "web" } });
add({ kind: "classify", source: "1 MB intent with many items: linear time", url: "", repeat: { prefix: "intent://x#Intent;scheme=ispmobile;", unit: "S.a=b;", count: 100000 }, platform: "android", expect: { action: "launch", reason: "intent" } });

// ---- notifications ---------------------------------------------------------------------------

const md5 = (s) => createHash("md5").update(s, "utf8").digest("hex");
const sha256 = (s) => createHash("sha256").update(s, "utf8").digest("hex");
const KEY = "hostile-test-key";
// Each case names the message kind the merchant endpoint checks (issue "Payment truth"): the
// message itself never decides whether a signature is needed.
const N = (o) => add({ kind: "notify", key: KEY, message_kind: "notice", ...o });
const qs = (o) => Object.entries(o).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
const REJECTED = { status: "rejected", success: false, reply: null };

// XPay CAS notification, notes/pg-protocols.md §1.2: MD5(MID + OID + AMOUNT + RESPCODE + TIMESTAMP + key).
// Deposits carry LGD_CASTAMOUNT (입금누적금액) and LGD_CASCAMOUNT (현입금금액), manual 000:L1194-1201.
const xp = { LGD_RESPCODE: "0000", LGD_MID: "tshop", LGD_OID: "O1", LGD_AMOUNT: "1004", LGD_TIMESTAMP: "20240101120000", LGD_TID: "T1", LGD_CASFLAG: "I", LGD_CASTAMOUNT: "1004", LGD_CASCAMOUNT: "1004" };
const xpHash = (o, key = KEY) => md5(`${o.LGD_MID}${o.LGD_OID}${o.LGD_AMOUNT}${o.LGD_RESPCODE}${o.LGD_TIMESTAMP}${key}`);
const xpGood = { ...xp, LGD_HASHDATA: xpHash(xp) };
const { LGD_HASHDATA: _x, ...xpStripped } = xpGood;
N({ pg: "xpay", source: "genuine CAS deposit", body: qs(xpGood), expect_amount: 1004, expect: { status: "deposited", authentic: true, success: true, reply: "OK", amount: 1004, tid: "T1" } });
N({ pg: "xpay", source: "downgrade: LGD_HASHDATA deleted (audit W1)", body: qs(xpStripped), expect_amount: 1004, expect: { ...REJECTED, authentic: false } });
N({ pg: "xpay", source: "downgrade: LGD_HASHDATA emptied (audit W1)", body: qs({ ...xpStripped, LGD_HASHDATA: "" }), expect: { ...REJECTED, authentic: false } });
N({ pg: "xpay", source: "forged: amount changed after signing", body: qs({ ...xpGood, LGD_AMOUNT: "1" }), expect: { ...REJECTED, authentic: false } });
N({ pg: "xpay", source: "forged: response code changed after signing", body: qs({ ...xp, LGD_RESPCODE: "0000", LGD_HASHDATA: xpHash({ ...xp, LGD_RESPCODE: "1001" }) }), expect: { ...REJECTED, authentic: false } });
N({ pg: "xpay", source: "forged: signed with another key", body: qs({ ...xp, LGD_HASHDATA: xpHash(xp, "attacker-key") }), expect: { ...REJECTED, authentic: false } });
N({ pg: "xpay", source: "forged: uppercase hash is not the documented lowercase", body: qs({ ...xp, LGD_HASHDATA: xpHash(xp).toUpperCase() }), expect: { ...REJECTED, authentic: false } });
N({ pg: "xpay", source: "forged: empty merchant key never authenticates", key: "", body: qs({ ...xp, LGD_HASHDATA: xpHash(xp, "") }), expect: { ...REJECTED, authentic: false } });
N({ pg: "xpay", source: "genuine but for another amount than the order's (LGD_AMOUNT is signed)", body: qs(xpGood), expect_amount: 50000, expect: { ...REJECTED, authentic: true, amount: 1004 } });
N({ pg: "xpay", source: "split deposit: first part of a 1004 order (audit W9)", body: qs({ ...xp, LGD_CASTAMOUNT: "400", LGD_CASCAMOUNT: "400", LGD_HASHDATA: xpHash(xp) }), expect_amount: 1004, expect: { status: "partially_deposited", authentic: true, success: false, reply: "OK", amount: 400 } });
N({ pg: "xpay", source: "split deposit: the rest arrives (accumulated 1004)", body: qs({ ...xp, LGD_CASTAMOUNT: "1004", LGD_CASCAMOUNT: "604", LGD_HASHDATA: xpHash(xp) }), expect_amount: 1004, expect: { status: "deposited", authentic: true, success: true, reply: "OK", amount: 1004 } });
N({ pg: "xpay", source: "split deposit without the merchant's amount: measured on the signed LGD_AMOUNT", body: qs({ ...xp, LGD_CASTAMOUNT: "400", LGD_CASCAMOUNT: "400", LGD_HASHDATA: xpHash(xp) }), expect: { status: "partially_deposited", success: false } });
N({ pg: "xpay", source: "genuine deposit bound to another order (security finding 1)", body: qs(xpGood), expect_order: "O2", expect: { ...REJECTED, authentic: true, order_id: "O1" } });
N({ pg: "xpay", source: "genuine deposit for another transaction than the stored TID", body: qs(xpGood), expect_tid: "T2", expect: { ...REJECTED, authentic: true } });
N({ pg: "xpay", source: "duplicate parameter: the first value counts, hash then fails", body: `${qs({ ...xpGood, LGD_AMOUNT: "1" })}&LGD_AMOUNT=1004`, expect: { ...REJECTED, authentic: false } });
N({ pg: "xpay", source: "invalid UTF-8 / raw EUC-KR bytes in LGD_RESPMSG: replaced, signature unaffected", body_hex: Buffer.concat([Buffer.from(qs(xpGood) + "&LGD_RESPMSG="), Buffer.from([0xbc, 0xba, 0xb0, 0xf8, 0xff])]).toString("hex"), expect: { authentic: true, success: true, message_contains: "\ufffd" } });
N({ pg: "xpay", source: "percent-encoded EUC-KR in LGD_RESPMSG read as UTF-8: replaced", body: qs(xpGood) + "&LGD_RESPMSG=%BC%BA%B0%F8", expect: { authentic: true, success: true, message_contains: "\ufffd" } });
N({ pg: "xpay", source: "NUL and CR/LF in LGD_RESPMSG are carried, not interpreted", body: qs(xpGood) + "&LGD_RESPMSG=a%00b%0D%0Ac", expect: { authentic: true, success: true, message: "a\u0000b\r\nc" } });
N({ pg: "xpay", source: "deposit cancelled (C) is not a payment", body: qs({ ...xp, LGD_CASFLAG: "C", LGD_HASHDATA: xpHash(xp) }), expect: { status: "cancelled", authentic: true, success: false, reply: "OK" } });
N({ pg: "xpay", source: "account issued (R) is pending", body: qs({ ...xp, LGD_CASFLAG: "R", LGD_HASHDATA: xpHash(xp) }), expect: { status: "pending", authentic: true, success: false, reply: "OK" } });
N({ pg: "xpay", message_kind: "return", source: "return post: authentication only (audit W4)", body: qs({ LGD_RESPCODE: "0000", LGD_OID: "O1", LGD_AMOUNT: "1004", LGD_PAYKEY: "K" }), expect: { status: "authenticated", authentic: null, success: false, reply: null } });

// Smartro SignValue, manual 001 §3.2: base64(hex MD5(TID[0..10] + ResultCode + TID[10..15] + key + TID[15..])).
const tid = "SMTPAY001m01012401011200001234";
const sv = (t, code, key = KEY) => Buffer.from(md5(`${t.slice(0, 10)}${code}${t.slice(10, 15)}${key}${t.slice(15)}`)).toString("base64");
const sm = { ResultCode: "3001", PayMethod: "CARD", Amt: "1004", TID: tid, Moid: "O1", StateCd: "0" };
N({ pg: "smartro", source: "genuine card approval notice", body: qs({ ...sm, SignValue: sv(tid, "3001") }), expect_amount: 1004, expect: { status: "paid", authentic: true, success: true, reply: "OK", tid } });
N({ pg: "smartro", source: "downgrade: SignValue deleted (audit W1)", body: qs(sm), expect_amount: 1004, expect: { ...REJECTED, authentic: false } });
N({ pg: "smartro", source: "downgrade: SignValue deleted from a VBANK deposit notice (audit W1)", body: qs({ ...sm, ResultCode: "4110", PayMethod: "VBANK" }), expect_amount: 1004, expect: { ...REJECTED, authentic: false } });
N({ pg: "smartro", message_kind: "return", source: "downgrade: SignValue deleted from a ReturnURL post (audit W1)", body: qs({ ...sm, StateCd: undefined }).replace("&StateCd=undefined", ""), expect: { ...REJECTED, authentic: false } });
N({ pg: "smartro", source: "forged: result code flipped to success", body: qs({ ...sm, SignValue: sv(tid, "3011") }), expect: { ...REJECTED, authentic: false } });
N({ pg: "smartro", source: "forged: another TID", body: qs({ ...sm, TID: tid.replace("1234", "9999"), SignValue: sv(tid, "3001") }), expect: { ...REJECTED, authentic: false } });
N({ pg: "smartro", source: "forged: short TID cannot be signed", body: qs({ ...sm, TID: "short", SignValue: sv("short", "3001") }), expect: { ...REJECTED, authentic: false } });
N({ pg: "smartro", source: "forged: non-ASCII TID", body: qs({ ...sm, TID: `${tid}한`, SignValue: sv(tid, "3001") }), expect: { ...REJECTED, authentic: false } });
N({ pg: "smartro", source: "genuine but amount differs from the order", body: qs({ ...sm, SignValue: sv(tid, "3001") }), expect_amount: 2000, expect: { ...REJECTED, authentic: true } });
N({ pg: "smartro", source: "cross-order replay: signed notice re-posted with Moid=B (security finding 1)", body: qs({ ...sm, Moid: "B", SignValue: sv(tid, "3001") }), expect_order: "O1", expect: { ...REJECTED, authentic: true, order_id: "B" } });
N({ pg: "smartro", source: "cross-order replay: A's TID presented for order B's stored TID", body: qs({ ...sm, Moid: "B", SignValue: sv(tid, "3001") }), expect_order: "B", expect_tid: "SMTPAY001m01012401011200005678", expect: { ...REJECTED, authentic: true } });
N({ pg: "smartro", source: "genuine cancellation notice (StateCd 1) is not a payment", body: qs({ ...sm, StateCd: "1", SignValue: sv(tid, "3001") }), expect: { status: "cancelled", authentic: true, success: false, reply: "OK" } });
N({ pg: "smartro", source: "VBANK issued (4100) is pending, answered OK", body: qs({ ...sm, ResultCode: "4100", PayMethod: "VBANK", StateCd: "3", SignValue: sv(tid, "4100") }), expect: { status: "pending", authentic: true, success: false, reply: "OK" } });
N({ pg: "smartro", source: "VBANK deposit (4110) of the whole amount", body: qs({ ...sm, ResultCode: "4110", PayMethod: "VBANK", SignValue: sv(tid, "4110") }), expect_amount: 1004, expect: { status: "deposited", authentic: true, success: true, reply: "OK" } });
N({ pg: "smartro", source: "VBANK deposit (4110) of part of the amount", body: qs({ ...sm, ResultCode: "4110", PayMethod: "VBANK", Amt: "500", SignValue: sv(tid, "4110") }), expect_amount: 1004, expect: { status: "partially_deposited", authentic: true, success: false, reply: "OK", amount: 500 } });

// KISPG encData, manual 004 §7.1: hex SHA-256(mid + ediDate + amt + key).
const ki = { resultCd: "3001", payMethod: "card", amt: "1004", tid: "kistest00m0101240101", ordNo: "O1", mid: "kistest00m", ediDate: "20240101120000" };
const kiHash = (o, key = KEY) => sha256(`${o.mid}${o.ediDate}${o.amt}${key}`);
const K = (o) => N({ message_kind: "approval", pg: "kispg", ...o });
K({ source: "genuine approval", body: qs({ ...ki, encData: kiHash(ki) }), expect_amount: 1004, expect: { status: "paid", authentic: true, success: true, tid: ki.tid } });
K({ source: "genuine, uppercase hex accepted (case-insensitive compare)", body: qs({ ...ki, encData: kiHash(ki).toUpperCase() }), expect: { authentic: true, success: true } });
K({ source: "forged: amount changed", body: qs({ ...ki, amt: "1", encData: kiHash(ki) }), expect: { ...REJECTED, authentic: false } });
K({ source: "forged: mid swapped to the attacker's shop", body: qs({ ...ki, mid: "evilshop00", encData: kiHash(ki) }), expect: { ...REJECTED, authentic: false } });
K({ source: "forged: another key", body: qs({ ...ki, encData: kiHash(ki, "attacker-key") }), expect: { ...REJECTED, authentic: false } });
const kiAuth = { resultCd: "0000", payMethod: "card", amt: "1004", tid: "kistest00m0101240101", ordNo: "O1", ediDate: "20240101120000" };
N({ pg: "kispg", message_kind: "return", source: "auth return, genuine encData: authenticated", body: qs({ ...kiAuth, encData: kiHash({ ...kiAuth, mid: "kistest00m" }) }), expect: { status: "authenticated", authentic: true, success: false } });
N({ pg: "kispg", message_kind: "return", source: "downgrade: auth return without encData (audit W1, manual 004:L39)", body: qs(kiAuth), expect: { ...REJECTED, authentic: false } });
N({ pg: "kispg", source: "notice from KISPG's test source address (manual 004 §2.2)", mode: "test", peer_ip: "61.40.40.74", body: qs({ ...ki, resultCd: "3001" }), expect: { status: "paid", authentic: true, success: true, reply: "" } });
N({ pg: "kispg", source: "notice from another address", mode: "test", peer_ip: "198.51.100.7", body: qs({ ...ki, resultCd: "3001" }), expect: { ...REJECTED, authentic: false } });

// KCP common_return: unsigned; its one control is the notifier address (manual 003 §6, audit M1).
const kcpDep = { site_cd: "T0000", tno: "20240101123456", ordr_no: "O1", tx_cd: "TX00", op_cd: "50", ipgm_mnyx: "1004", totl_mnyx: "1004" };
const KC = (o) => N({ pg: "kcp", mode: "test", peer_ip: "203.238.36.17", ...o });
KC({ source: "KCP VA deposit from the test notifier", body: qs(kcpDep), expect_amount: 1004, expect: { status: "deposited", authentic: true, success: true, amount: 1004 } });
KC({ source: "KCP deposit from a forged source address (audit M1)", peer_ip: "198.51.100.7", body: qs(kcpDep), expect_amount: 1004, expect: { ...REJECTED, authentic: false } });
KC({ source: "KCP deposit with no peer address", peer_ip: undefined, body: qs(kcpDep), expect: { ...REJECTED, authentic: false } });
KC({ source: "KCP test notifier is not trusted in live mode", mode: "live", body: qs(kcpDep), expect: { ...REJECTED, authentic: false } });
KC({ source: "KCP live notifier, IPv4-mapped IPv6 peer", mode: "live", peer_ip: "::ffff:203.238.36.178", body: qs(kcpDep), expect_amount: 1004, expect: { status: "deposited", authentic: true } });
KC({ source: "KCP partial deposit", body: qs({ ...kcpDep, ipgm_mnyx: "500", totl_mnyx: "500" }), expect_amount: 1004, expect: { status: "partially_deposited", success: false, amount: 500 } });
KC({ source: "KCP deposit cancellation (op_cd 13)", body: qs({ ...kcpDep, op_cd: "13" }), expect: { status: "cancelled", authentic: true, success: false } });
N({ pg: "kcp", message_kind: "approval", source: "KCP virtual account issued at approval is pending (audit W2)", body: qs({ res_cd: "0000", tno: "20240101123456", amount: "1004", use_pay_method: "001000000000", ordr_idxx: "O1" }), expect_amount: 1004, expect: { status: "pending", authentic: null, success: false } });
N({ pg: "kspay", message_kind: "approval", source: "KSPay approval: unsigned", body: qs({ authyn: "O", trno: "1000", amt: "1004", ordno: "O1" }), expect: { status: "paid", authentic: null, success: true } });
N({ pg: "kspay", message_kind: "approval", source: "KSPay virtual account issued (result 6001) is pending (audit W2)", body: qs({ authyn: "O", trno: "6000", amt: "1004", result: "6001", ordno: "O1" }), expect: { status: "pending", success: false } });
N({ pg: "kspay", message_kind: "approval", source: "KSPay result of another order (security finding 1)", body: qs({ authyn: "O", trno: "1000", amt: "1004", ordno: "OTHER" }), expect_order: "O1", expect_amount: 1004, expect: { ...REJECTED, order_id: "OTHER" } });

// Replay and out-of-order: hanpay is stateless; each message verifies on its own and yields the
// same tid/order id every time, which is the merchant's idempotency key.
const dep = { ...xpGood };
const cancel = { ...xp, LGD_CASFLAG: "C", LGD_HASHDATA: xpHash(xp) };
const issued = { ...xp, LGD_CASFLAG: "R", LGD_HASHDATA: xpHash(xp) };
const S = (o) => add({ kind: "notify_sequence", key: KEY, message_kind: "notice", ...o });
S({ source: "replayed deposit notice: identical results, same idempotency key", pg: "xpay", bodies: [qs(dep), qs(dep), qs(dep)], expect: [0, 1, 2].map(() => ({ status: "deposited", authentic: true, success: true, tid: "T1", order_id: "O1" })) });
S({ source: "out of order: cancel before deposit before issue; each judged on its own", pg: "xpay", bodies: [qs(cancel), qs(dep), qs(issued)], expect: [{ status: "cancelled", authentic: true, success: false, tid: "T1" }, { status: "deposited", authentic: true, success: true, tid: "T1" }, { status: "pending", authentic: true, success: false, tid: "T1" }] });
S({ source: "replay with one forged copy in between", pg: "smartro", bodies: [qs({ ...sm, SignValue: sv(tid, "3001") }), qs({ ...sm, Amt: "1", SignValue: "AAAA" }), qs({ ...sm, SignValue: sv(tid, "3001") })], expect: [{ authentic: true, success: true, tid }, { status: "rejected", authentic: false, success: false, tid }, { authentic: true, success: true, tid }] });

// ---- environment -------------------------------------------------------------------------------
const E = (ua, touch, expect, source) => add({ kind: "env", source, ua, touch_points: touch, expect });
E("", 0, { os: "other", in_app: null, mode: "popup" }, "empty user agent: a desktop browser");
E("\u0000\u0001\r\n", 0, { os: "other", in_app: null }, "only controls");
E("Mozilla/5.0 (Linux; Android 13) Mobile KAKAOTALK-SCRAP/1.0", 0, { os: "android", in_app: null }, "KakaoTalk link-preview bot is not the in-app browser");
E("Mozilla/5.0 (Windows NT 10.0) outline/1.0", 0, { os: "windows", in_app: null, mode: "popup" }, "'line/' inside another word is not LINE");
add({ kind: "env", source: "1 MB user agent: linear time", ua: "", repeat: { prefix: "Mozilla/5.0 ", unit: "A", count: 1 << 20 }, touch_points: 0, expect: { os: "other", in_app: null } });
add({ kind: "env", source: "touch points at u32::MAX", ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15", touch_points: 4294967295, expect: { os: "ipados" } });

writeFileSync(`${ROOT}tests/data/hostile.json`, JSON.stringify({ generated_by: "tests/data/gen-hostile.mjs", cases }, null, 1) + "\n");
console.log(`${cases.length} cases`);
