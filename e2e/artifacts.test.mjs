// A failing E2E test leaves e2e/artifacts/<test>.png and <test>.inspect.json (e2e/harness.mjs).
// Shown with a fixture that fails on purpose in a child `node --test`, so this suite stays green.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

test("a failing test saves its screenshot and the inspector's record", () => {
  const dir = mkdtempSync(`${tmpdir()}/hanpay-artifacts-`);
  // Without the parent runner's NODE_TEST_CONTEXT the child reports (and exits) on its own.
  const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
  try {
    const child = spawnSync(process.execPath, ["--test", new URL("./fixtures/fails-on-purpose.mjs", import.meta.url).pathname], {
      env: { ...parentEnv, HANPAY_ARTIFACTS: dir },
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.notEqual(child.status, 0, "the fixture must fail");
    assert.match(child.stdout, /# fail 1/);
    const name = "fails-on-purpose-the-checkout-never-reaches-paid";
    assert.deepEqual(readdirSync(dir).sort(), [`${name}.inspect.json`, `${name}.png`]);
    const png = readFileSync(`${dir}/${name}.png`);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "a PNG");
    const record = JSON.parse(readFileSync(`${dir}/${name}.inspect.json`, "utf8"));
    const pay = record.requests.find((r) => r.path === "/pg/generic/pay");
    assert.ok(pay, "the failing test's PG traffic is in the record");
    assert.deepEqual(pay.fields.find((f) => f.name === "orderId")?.value, "ON-PURPOSE");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
