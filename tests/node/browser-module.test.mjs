// The browser package (pkg/, `make pkg`) in Node, the documented way (js/README.md "Node"):
// Node's fetch cannot read the file: URL `init()` computes by default, so the page's
// `await init()` becomes `initSync({ module: bytes })` or `await init({ module_or_path: bytes })`.
// Each case imports a fresh copy of the module (a query string) so initialisation starts over.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const entry = new URL("../../pkg/index.js", import.meta.url);
const wasm = () => readFileSync(new URL("../../pkg/hanpay_bg.wasm", import.meta.url));
const fresh = (tag) => import(`${entry.href}?${tag}`);
const cases = JSON.parse(readFileSync(new URL("../data/classify.json", import.meta.url), "utf8"));

test("before init(): every function throws HanpayError NOT_INITIALIZED", async () => {
  const m = await fresh("before");
  const calls = {
    version: () => m.version(),
    classifyUrl: () => m.classifyUrl("https://example.com/", "android"),
    currentEnvironment: () => m.currentEnvironment(),
    detectEnvironment: () => m.detectEnvironment("Mozilla/5.0", 0),
    open: () => m.open({ action: "https://pg.example/", fields: [] }),
    pay: () => m.pay("kcp", { action: "https://pg.example/", fields: [] }),
  };
  for (const [name, call] of Object.entries(calls)) {
    assert.throws(call, (e) => e instanceof m.HanpayError && e.code === "NOT_INITIALIZED" && /init\(\)/.test(e.message), name);
  }
});

test("initSync({ module: bytes }) loads it; the classifier answers as in the Rust tests", async () => {
  const m = await fresh("sync");
  m.initSync({ module: wasm() });
  assert.match(m.version(), /^\d+\.\d+\.\d+/);
  for (const c of cases) {
    const got = m.classifyUrl(c.url, c.platform, c.policy === "strict" ? { strict: true } : undefined);
    for (const [key, want] of Object.entries(c.expect)) assert.deepEqual(got[key], want, `${c.name}: ${key}`);
  }
  assert.ok(cases.length >= 200);
  // A second init is a no-op, not a second instance.
  assert.equal(m.initSync({ module: wasm() }), m.initSync({ module: wasm() }));
});

test("await init({ module_or_path: bytes }) loads it too", async () => {
  const m = await fresh("async");
  await m.default({ module_or_path: wasm() });
  assert.equal(m.classifyUrl("javascript:alert(1)", "android").action, "block");
  const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
  assert.equal(m.detectEnvironment(iphone, 5).os, "ios");
  // Without a window there is no current environment: a HanpayError NO_BROWSER, not a guess,
  // and the same for every function that needs the page.
  const noBrowser = (e) => e instanceof m.HanpayError && e.code === "NO_BROWSER" && /browser window/.test(e.message);
  assert.throws(() => m.currentEnvironment(), noBrowser);
  assert.throws(() => m.appReturnFields("myapp"), noBrowser);
  assert.throws(() => m.inAppEscapeUrl("https://shop.example/"), noBrowser);
  await assert.rejects(async () => m.open({ action: "https://pg.example/", method: "POST", fields: [] }), noBrowser);
  // A platform the classifier does not know names the field and the registry's rule.
  assert.throws(() => m.classifyUrl("https://example.com/", "windows"), (e) =>
    e instanceof m.HanpayError && e.code === "INVALID_PARAMETERS" && e.field === "platform" && e.rule === "one_of");
});
