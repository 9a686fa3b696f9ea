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

test("hash vectors (notes §6) through digest(pg, name, args, key)", () => {
  let checked = 0;
  for (const c of data.hashes) {
    const [pg, name] = c.fn.split(".");
    if (c.expect_error) {
      assert.throws(
        () => hanpay.digest(pg, name, c.args, key(pg)),
        (e) => e.name === "HanpayError" && e.field === c.expect_error.field && e.rule === c.expect_error.rule,
        c.source,
      );
    } else {
      assert.equal(hanpay.digest(pg, name, c.args, key(pg)), c.expect, c.source);
    }
    checked++;
  }
  assert.equal(checked, data.hashes.length);
  assert.ok(checked >= 20);
});

test("digests(pg) lists what digest computes; a PG without a shared-key digest has none", () => {
  const xpay = hanpay.digests("xpay");
  assert.deepEqual(xpay.map((d) => d.name), ["hashdata", "note_hashdata", "receipt_authdata"]);
  assert.deepEqual(xpay[0].args, ["LGD_MID", "LGD_OID", "LGD_AMOUNT", "LGD_TIMESTAMP"]);
  assert.equal(xpay[0].field, "LGD_HASHDATA");
  assert.deepEqual(hanpay.digests("kcp"), []);
  assert.throws(() => hanpay.digest("kcp", "hashdata", [], "k"), (e) => e.field === "digest" && e.rule === "one_of");
  assert.throws(() => hanpay.digest("xpay", "hashdata", ["a"], "k"), (e) => e.field === "args" && e.rule === "format");
  assert.throws(() => hanpay.digests("nope"), (e) => e.field === "pg" && e.rule === "one_of");
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
