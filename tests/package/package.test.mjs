// The npm package as a user installs it (`make test-package`, after `make package`): the tarball
// `npm pack` made of pkg/ is unpacked into a scratch project's node_modules/ and resolved through
// its `exports` map from outside the repository, as an application would (issue 16).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const pkgDir = new URL("../../pkg/", import.meta.url);
const tarballs = readdirSync(pkgDir).filter((f) => /^hanpay-.*\.tgz$/.test(f));
assert.equal(tarballs.length, 1, "run `make package` first: pkg/hanpay-<version>.tgz");
const tarball = new URL(tarballs[0], pkgDir).pathname;

const app = mkdtempSync(join(tmpdir(), "hanpay-consumer-"));
const installed = join(app, "node_modules", "hanpay");
mkdirSync(installed, { recursive: true });
execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
process.on("exit", () => rmSync(app, { recursive: true, force: true }));

const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
  .split("\n")
  .filter(Boolean)
  .map((f) => f.replace(/^package\//, ""));

// Runs `code` as a module of the scratch app (so "hanpay" resolves through node_modules) and
// returns its stdout; `conditions` are extra resolution conditions (`--conditions=browser`).
function run(code, conditions = []) {
  const file = join(app, `t${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, code);
  return execFileSync(process.execPath, [...conditions.map((c) => `--conditions=${c}`), file], {
    cwd: app,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

test("both declared licenses, the README and the CHANGELOG ship", () => {
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  for (const f of ["LICENSE-MIT", "LICENSE-APACHE", "README.md", "CHANGELOG.md"]) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  assert.match(readFileSync(join(installed, "LICENSE-APACHE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
  assert.match(readFileSync(join(installed, "LICENSE-MIT"), "utf8"), /Permission is hereby granted, free of charge/);
});

test("no placeholder metadata", () => {
  const text = JSON.stringify(manifest);
  assert.doesNotMatch(text, /example\.(invalid|com|org)|TODO|FIXME/i);
  for (const k of ["repository", "homepage", "bugs"]) {
    if (manifest[k] !== undefined) assert.doesNotMatch(JSON.stringify(manifest[k]), /invalid|localhost|127\.0\.0\.1/);
  }
});

test("every path the exports map names is in the tarball", () => {
  const targets = [];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : v && Object.values(v).forEach(walk));
  walk(manifest.exports);
  for (const key of [".", "./hanpay_bg.wasm", "./server", "./package.json"]) {
    assert.ok(manifest.exports[key], `exports["${key}"]`);
  }
  assert.equal(manifest.exports["."].types, "./index.d.ts");
  assert.ok(targets.length >= 6);
  for (const t of targets) assert.ok(files.includes(t.replace(/^\.\//, "")), `${t} is packed`);
  for (const f of [manifest.main, manifest.module, manifest.types]) assert.ok(files.includes(f), f);
});

test("sideEffects names no file, or only packed files", () => {
  const s = manifest.sideEffects;
  assert.ok(s === false || Array.isArray(s), "sideEffects is false or a list");
  if (Array.isArray(s)) {
    for (const glob of s) {
      const re = new RegExp("^" + glob.replace(/^\.\//, "").replace(/\./g, "\\.").replace(/\*\*/g, ".+").replace(/\*/g, "[^/]+") + "$");
      assert.ok(files.some((f) => re.test(f)), `sideEffects pattern ${glob} matches a file`);
    }
  }
});

test("the browser entry: a call before init() is a NOT_INITIALIZED HanpayError, initSync loads it in Node", () => {
  const out = run(`
    import { readFileSync } from "node:fs";
    import init, { initSync, version, classifyUrl, HanpayError } from "hanpay";
    let before;
    try { version(); } catch (e) { before = { hanpay: e instanceof HanpayError, code: e.code, message: e.message }; }
    initSync({ module: readFileSync(new URL(import.meta.resolve("hanpay/hanpay_bg.wasm"))) });
    console.log(JSON.stringify({ before, version: version(), action: classifyUrl("https://pg.example/pay", "ios").action, init: typeof init }));
  `);
  const r = JSON.parse(out);
  assert.deepEqual(r.before.hanpay, true);
  assert.equal(r.before.code, "NOT_INITIALIZED");
  assert.match(r.before.message, /init\(\)/);
  assert.equal(r.version, manifest.version);
  assert.equal(r.action, "load");
});

test("hanpay/server loads in Node and signs like the Rust crate", () => {
  const vectors = JSON.parse(readFileSync(new URL("../data/pg-vectors.json", import.meta.url), "utf8"));
  const c = vectors.hashes.find((h) => h.fn === "xpay.hashdata");
  assert.ok(c, "an xpay.hashdata vector");
  const args = JSON.stringify(["xpay", "hashdata", c.args, vectors.keys.xpay ?? ""]);
  const out = run(`
    import * as server from "hanpay/server";
    console.log(JSON.stringify({ hash: server.digest(...${args}), verify: typeof server.verify }));
  `);
  const r = JSON.parse(out);
  assert.equal(r.hash, c.expect);
  assert.equal(r.verify, "function");
});

test("hanpay/server refuses to load under the browser condition", () => {
  assert.throws(
    () => run(`import "hanpay/server";`, ["browser"]),
    (e) => /hanpay\/server is the Node\.js server entry/.test(String(e.stderr)),
  );
  assert.ok(existsSync(join(installed, "server", "not-for-browsers.js")));
});

test("TypeScript (nodenext) finds the types of every entry through the exports map", () => {
  const tsc = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"], strict: true, noEmit: true, skipLibCheck: false, types: [] },
      files: ["check.mts"],
    }),
  );
  writeFileSync(
    join(app, "check.mts"),
    `import init, { open, HanpayError, type HanpayErrorCode } from "hanpay";
import wasmUrl from "hanpay/hanpay_bg.wasm";
import { digest } from "hanpay/server";
export async function f(): Promise<string> {
  await init({ module_or_path: wasmUrl });
  void open({ action: "https://pg.example/", fields: [] });
  const code: HanpayErrorCode = "NOT_INITIALIZED";
  return String(new HanpayError(code, "x").code) + digest("xpay", "hashdata", ["a", "b", "c", "d"], "e");
}
// @ts-expect-error: not an entry of the package (the exports map hides the glue)
import { version as glueVersion } from "hanpay/hanpay.js";
void glueVersion;
`,
  );
  try {
    execFileSync(process.execPath, [tsc, "-p", join(app, "tsconfig.json")], { cwd: app, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc: ${e.stdout}${e.stderr}`);
  }
});
