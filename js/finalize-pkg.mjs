// Completes the wasm-pack output in pkg/ into the npm package: adds the hand-written entry
// (index.js / index.d.ts) and the package README, points package.json at them, shortens the
// import names wasm-bindgen generates and minifies the JavaScript that ships. Run by `make pkg`
// after wasm-pack.
//
// Minified because the browser package has a 50 KB gzip budget (issue 8) and the wasm-bindgen
// glue is mostly long local names and comments; the readable sources stay in js/ and in the
// wasm-bindgen output of an unminified build. Property names are never mangled: the wasm
// module imports the glue's functions by name.
import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { minify } from "terser";
import { renameGlueKeys, shortenImports } from "./short-imports.mjs";

const here = new URL(".", import.meta.url);
const pkg = new URL("../pkg/", import.meta.url);
for (const f of ["index.d.ts", "README.md"]) {
  copyFileSync(new URL(f, here), new URL(f, pkg));
}

// The error class exists once: wasm-bindgen copies js/errors.js into pkg/snippets/ for the wasm
// side, and the entry re-exports that copy instead of shipping a second one.
const glue = readFileSync(new URL("hanpay.js", pkg), "utf8");
const snippet = glue.match(/from '\.\/(snippets\/[^']+\/js\/errors\.js)'/);
if (!snippet) throw new Error("finalize-pkg: hanpay.js does not import the errors.js snippet");
const entry = readFileSync(new URL("index.js", here), "utf8");
if (!entry.includes('"./errors.js"')) throw new Error("finalize-pkg: js/index.js no longer imports ./errors.js");
writeFileSync(new URL("index.js", pkg), entry.replace('"./errors.js"', `"./${snippet[1]}"`));
rmSync(new URL("errors.js", pkg), { force: true });

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
manifest.main = "index.js";
manifest.module = "index.js";
manifest.types = "index.d.ts";
manifest.exports = { ".": { types: "./index.d.ts", default: "./index.js" } };
manifest.files = [...new Set([...(manifest.files || []), "index.js", "index.d.ts", "snippets"])];
manifest.sideEffects = ["./snippets/*"];
writeFileSync(manifestUrl, JSON.stringify(manifest, null, 2) + "\n");
