// classifyUrl through the wasm API (pkg-node; the browser package exports the same function):
// every case of tests/data/classify.json, with `{ strict: true }` for the strict ones, and the
// options argument's contract.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { classifyUrl } = require("../../pkg-node/hanpay.js");
const cases = JSON.parse(readFileSync(new URL("../data/classify.json", import.meta.url), "utf8"));

test("shared classify cases (tests/data/classify.json)", () => {
  let strict = 0;
  for (const c of cases) {
    const options = c.policy === "strict" ? { strict: true } : undefined;
    if (options) strict++;
    const got = classifyUrl(c.url, c.platform, options);
    for (const [key, want] of Object.entries(c.expect)) {
      assert.deepEqual(got[key], want, `${c.name}: ${key} (${c.source})`);
    }
  }
  assert.ok(cases.length >= 200 && strict >= 10, `${cases.length} cases, ${strict} strict`);
});

test("options: absent, false and true", () => {
  assert.equal(classifyUrl("myshop://x", "android").reason, "unknown-scheme");
  assert.equal(classifyUrl("myshop://x", "android", {}).reason, "unknown-scheme");
  assert.equal(classifyUrl("myshop://x", "android", { strict: false }).reason, "unknown-scheme");
  assert.equal(classifyUrl("myshop://x", "android", { strict: true }).reason, "unlisted-scheme");
});

test("options: a strict that is not a boolean throws INVALID_PARAMETERS", () => {
  assert.throws(() => classifyUrl("myshop://x", "android", { strict: "yes" }), (e) => e.code === "INVALID_PARAMETERS");
});

test("the decision has universal_link as a boolean", () => {
  const d = classifyUrl("https://ul.toss.im?scheme=supertoss%3A%2F%2Fpay", "ios");
  assert.equal(d.universal_link, true);
  assert.equal(d.action, "load");
  assert.equal(classifyUrl("https://pg.example/", "ios").universal_link, false);
});
