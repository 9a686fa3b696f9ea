// esbuild does not follow `new URL("hanpay_bg.wasm", import.meta.url)` (and an iife has no
// import.meta): import the wasm's URL through the package's exports and hand it to init()
// (README "Bundlers": build with --loader:.wasm=file).
import wasmUrl from "hanpay/hanpay_bg.wasm";
import { start } from "../shared/checkout.js";
start({ module_or_path: wasmUrl });
