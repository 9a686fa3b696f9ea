// Completes the wasm-pack output in pkg/ into the npm package: adds the hand-written entry
// (index.js / index.d.ts), the error class and the package README, and points package.json
// at them. Run by `make pkg` after wasm-pack.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const here = new URL(".", import.meta.url);
const pkg = new URL("../pkg/", import.meta.url);
for (const f of ["index.js", "index.d.ts", "errors.js", "README.md"]) {
  copyFileSync(new URL(f, here), new URL(f, pkg));
}
const manifestUrl = new URL("package.json", pkg);
const manifest = JSON.parse(readFileSync(manifestUrl, "utf8"));
manifest.main = "index.js";
manifest.module = "index.js";
manifest.types = "index.d.ts";
manifest.exports = { ".": { types: "./index.d.ts", default: "./index.js" } };
manifest.files = [...new Set([...(manifest.files || []), "index.js", "index.d.ts", "errors.js", "snippets"])];
manifest.sideEffects = ["./snippets/*"];
writeFileSync(manifestUrl, JSON.stringify(manifest, null, 2) + "\n");
