// Completes the wasm-pack output in pkg/ into the npm package: adds the hand-written entry
// (index.js / index.d.ts) and the package README, points package.json at them, shortens the
// import names wasm-bindgen generates and minifies the JavaScript that ships. Run by `make pkg`
// after wasm-pack.
//
// Minified because the browser package has a 50 KB gzip budget (issue 8) and the wasm-bindgen
// glue is mostly long local names and comments; the readable sources stay in js/ and in the
// wasm-bindgen output of an unminified build. Property names are never mangled: the wasm
// module imports the glue's functions by name.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { minify } from "terser";
import { renameGlueKeys, shortenImports } from "./short-imports.mjs";

const here = new URL(".", import.meta.url);
const root = new URL("../", import.meta.url);
const pkg = new URL("../pkg/", import.meta.url);

// The Node server entry `hanpay/server`: the wasm-pack nodejs build (pkg-node/, CommonJS, which
// Node's ESM loader also imports by name) or, once it exists, the hand-written wrapper
// js/server.mjs over it.
const WRAPPER = existsSync(new URL("server.mjs", here));
const SERVER = WRAPPER
  ? { node: "./server/index.mjs", types: "./server/index.d.ts" }
  : { node: "./server/hanpay.cjs", types: "./server/hanpay.d.cts" };

// `--server` (make package): only (re)places the Node server build into pkg/server/.
if (process.argv.includes("--server")) {
  packServer();
  process.exit(0);
}

for (const f of ["index.d.ts", "README.md", "wasm-url.d.ts"]) {
  copyFileSync(new URL(f, here), new URL(f, pkg));
}
// Both licenses the package declares (`MIT OR Apache-2.0`) ship with it.
for (const f of ["LICENSE-MIT", "LICENSE-APACHE"]) {
  copyFileSync(new URL(f, root), new URL(f, pkg));
}

// The error class exists once: wasm-bindgen copies crates/hanpay-web/js/errors.js into pkg/snippets/ for the wasm
// side, and the entry re-exports that copy instead of shipping a second one.
let glue = readFileSync(new URL("hanpay.js", pkg), "utf8");
const snippet = glue.match(/from '\.\/(snippets\/[^']+\/js\/errors\.js)'/);
if (!snippet) throw new Error("finalize-pkg: hanpay.js does not import the errors.js snippet");
const entry = readFileSync(new URL("index.js", here), "utf8");
if (!entry.includes('"./errors.js"')) throw new Error("finalize-pkg: js/index.js no longer imports ./errors.js");
writeFileSync(new URL("index.js", pkg), entry.replace('"./errors.js"', `"./${snippet[1]}"`));
rmSync(new URL("errors.js", pkg), { force: true });

// A call before init() meets a HanpayError that says so, instead of the glue reading a field of
// the still-undefined `wasm` ("Cannot read properties of undefined (reading '__wbindgen_free')",
// issue 16): until init, `wasm` is a stand-in whose every property read throws. The two
// "already initialised?" checks compare against the stand-in instead of `undefined`.
const notInit =
  "const NOT_INIT = new Proxy({}, { get() { throw makeError(\"NOT_INITIALIZED\", " +
  "\"hanpay: await init() first\"); } });\n";
glue = replaceExactly(glue, "let wasmModule, wasmInstance, wasm;", notInit + "let wasmModule, wasmInstance, wasm = NOT_INIT;", 1);
glue = replaceExactly(glue, "if (wasm !== undefined) return wasm;", "if (wasm !== NOT_INIT) return wasm;", 2);
if (!/import \{[^}]*\bmakeError\b[^}]*\} from '\.\/snippets\//.test(glue)) {
  throw new Error("finalize-pkg: hanpay.js no longer imports makeError from the errors.js snippet");
}

// Short import names in the wasm and the glue (js/short-imports.mjs).
const wasmUrl = new URL("hanpay_bg.wasm", pkg);
const { wasm, renamed } = shortenImports(readFileSync(wasmUrl), "./hanpay_bg.js");
if (renamed.size === 0) throw new Error("finalize-pkg: the wasm imports nothing from ./hanpay_bg.js");
writeFileSync(wasmUrl, wasm);
writeFileSync(new URL("hanpay.js", pkg), renameGlueKeys(glue, renamed));

const shipped = ["hanpay.js", "index.js"];
for (const dir of readdirSync(new URL("snippets/", pkg), { recursive: true })) {
  if (dir.endsWith(".js")) shipped.push(`snippets/${dir}`);
}
for (const f of shipped) {
  const url = new URL(f, pkg);
  const out = await minify(readFileSync(url, "utf8"), {
    module: true,
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    // `HanpayError.name` and stack traces keep the class's real name.
    keep_classnames: true,
    format: { comments: false },
  });
  writeFileSync(url, out.code + "\n");
}

const manifestUrl = new URL("package.json", pkg);
const manifest = JSON.parse(readFileSync(manifestUrl, "utf8"));
// Cargo.toml has no `repository` until the project has a public home (wasm-pack copies it).
delete manifest.repository;
// wasm-pack names the package after the crate it built (crates/hanpay-web); the npm package is
// `hanpay`, described as the umbrella crate is.
manifest.name = "hanpay";
{
  const cargo = readFileSync(new URL("Cargo.toml", root), "utf8");
  const description = /^\[package\][^[]*?^description = "([^"]*)"/ms.exec(cargo);
  if (!description) throw new Error("finalize-pkg: no [package] description in Cargo.toml");
  manifest.description = description[1];
}
manifest.main = "index.js";
manifest.module = "index.js";
manifest.types = "index.d.ts";
manifest.exports = {
  ".": { types: "./index.d.ts", default: "./index.js" },
  // For bundlers that do not follow `new URL("hanpay_bg.wasm", import.meta.url)` (esbuild) and
  // for Node: `import wasmUrl from "hanpay/hanpay_bg.wasm"`, `import.meta.resolve(...)`.
  "./hanpay_bg.wasm": { types: "./wasm-url.d.ts", default: "./hanpay_bg.wasm" },
  // The Node server entry (`make package` places it in server/). Browser bundles get a module
  // that throws on import with the reason, so a server import can never ship to a browser
  // silently; "browser" comes before "node" for bundlers that set both.
  "./server": {
    types: SERVER.types,
    browser: "./server/not-for-browsers.js",
    node: SERVER.node,
    default: "./server/not-for-browsers.js",
  },
  "./package.json": "./package.json",
};
manifest.files = [
  ...new Set([
    ...(manifest.files || []),
    "index.js",
    "index.d.ts",
    "wasm-url.d.ts",
    "snippets",
    "server",
    "LICENSE-MIT",
    "LICENSE-APACHE",
    "CHANGELOG.md",
  ]),
];
copyFileSync(new URL("CHANGELOG.md", root), new URL("CHANGELOG.md", pkg));
// No module of the package does anything on import (no globals, no listeners, no fetch):
// bundlers may drop whatever a page does not use. The old `["./snippets/*"]` matched no file
// (the snippets sit one directory deeper).
manifest.sideEffects = false;
writeFileSync(manifestUrl, JSON.stringify(manifest, null, 2) + "\n");

function replaceExactly(text, from, to, count) {
  const n = text.split(from).length - 1;
  if (n !== count) throw new Error(`finalize-pkg: expected ${count} of ${JSON.stringify(from)} in hanpay.js, found ${n}`);
  return text.split(from).join(to);
}

// pkg-node/ → pkg/server/. The glue becomes `.cjs` (the package is "type": "module"); its
// snippets stay ES modules, which Node (>= 20.19) loads through require().
function packServer() {
  const node = new URL("../pkg-node/", import.meta.url);
  if (!existsSync(new URL("hanpay.js", node))) throw new Error("finalize-pkg --server: pkg-node/ missing: run make pkg-node");
  const out = new URL("server/", pkg);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const glue = readFileSync(new URL("hanpay.js", node), "utf8");
  writeFileSync(new URL("hanpay.cjs", out), glue.replace('@ts-self-types="./hanpay.d.ts"', '@ts-self-types="./hanpay.d.cts"'));
  copyFileSync(new URL("hanpay.d.ts", node), new URL("hanpay.d.cts", out));
  copyFileSync(new URL("hanpay_bg.wasm", node), new URL("hanpay_bg.wasm", out));
  cpSync(new URL("snippets/", node), new URL("snippets/", out), { recursive: true });
  if (WRAPPER) {
    const rel = (t) => t.replaceAll("../pkg-node/hanpay.js", "./hanpay.cjs").replaceAll('"./hanpay.js"', '"./hanpay.cjs"');
    writeFileSync(new URL("index.mjs", out), rel(readFileSync(new URL("server.mjs", here), "utf8")));
    writeFileSync(new URL("index.d.ts", out), rel(readFileSync(new URL("server.d.ts", here), "utf8")));
  }
  writeFileSync(
    new URL("not-for-browsers.js", out),
    'throw new Error("hanpay/server is the Node.js server entry (it signs with merchant keys); browser code imports \\"hanpay\\"");\n',
  );
}
