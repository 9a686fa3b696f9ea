// Node entry (pkg-node, built by `make pkg-node` from the crate in node/):
// the same vectors as tests/data/pg-vectors.json, through the wasm API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const hanpay = require("../../pkg-node/hanpay.js");
const data = JSON.parse(readFileSync(new URL("../data/pg-vectors.json", import.meta.url), "utf8"));
const key = (pg) => data.keys[pg] ?? "";

test("hash vectors (notes §6)", () => {
  const fns = {
    "xpay.hashdata": (a) => hanpay.xpayHashdata(a[0], a[1], a[2], a[3], key("xpay")),
    "xpay.receipt_authdata": (a) => hanpay.xpayReceiptAuthdata(a[0], a[1], key("xpay")),
    "smartro.encrypt_data": (a) => hanpay.smartroEncryptData(a[0], a[1], a[2], key("smartro")),
    "smartro.cancel_hash": (a) => hanpay.smartroCancelHash(a[0], key("smartro"), a[1], a[2]),
    "kispg.enc_data": (a) => hanpay.kispgEncData(a[0], a[1], a[2], key("kispg")),
    "smartropay.encrypt_data": (a) => hanpay.smartropayEncryptData(a[0], a[1], a[2], key("smartropay")),
    "smartropay.cancel_hash": (a) => hanpay.smartropayCancelHash(a[0], key("smartropay"), a[1], a[2]),
  };
  let checked = 0;
  for (const c of data.hashes) {
    const f = fns[c.fn];
    if (!f) continue;
    assert.equal(f(c.args), c.expect, c.source);
    checked++;
  }
  assert.ok(checked >= 10);
});

test("forms build and sign", () => {
  for (const c of data.forms) {
    const form = hanpay.buildForm(c.pg, c.params, key(c.pg), c.mode, c.now);
    assert.equal(form.pg, c.pg, c.source);
    assert.equal(form.action, c.expect.action, c.source);
    const fields = Object.fromEntries(form.fields);
    for (const [k, v] of Object.entries(c.expect.fields)) assert.equal(fields[k], v, `${c.source}: ${k}`);
  }
});

test("invalid input throws a HanpayError naming field and rule, not JSON text", () => {
  assert.throws(
    () => hanpay.buildForm("kcp", { ordr_idxx: "O1", good_mny: "1,004" }, "", "test", "20240101120000"),
    (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "HanpayError");
      assert.equal(e.code, "INVALID_PARAMETERS");
      assert.equal(e.field, "good_mny");
      assert.equal(e.rule, "digits");
      assert.ok(e[Symbol.for("hanpay.error")], "the browser class's instanceof brand");
      assert.doesNotMatch(e.message, /^\{/);
      return true;
    },
  );
  // A parameter map that is not an object of strings names its argument.
  assert.throws(
    () => hanpay.buildForm("kcp", "not an object", "", "test", "20240101120000"),
    (e) => e.name === "HanpayError" && e.field === "params" && e.rule === "format",
  );
  assert.throws(
    () => hanpay.verify("nope", "return", "", "", undefined),
    (e) => e.name === "HanpayError" && e.field === "pg" && e.rule === "one_of",
  );
});

test("results verify", () => {
  for (const c of data.results) {
    const options = { mode: c.mode ?? "live", peerIp: c.peer_ip ?? "", expectOrder: c.expect_order };
    if (c.expect_amount != null) options.expectAmount = String(c.expect_amount);
    const r = hanpay.verify(c.pg, c.kind, c.body, c.key ?? key(c.pg), options);
    for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(r[k], v, `${c.source}: ${k}`);
  }
});
