// `import wasmUrl from "hanpay/hanpay_bg.wasm"`: what a bundler's file/asset loader gives for
// the wasm (esbuild `--loader:.wasm=file`): its URL, for `init({ module_or_path: wasmUrl })`.
declare const wasmUrl: string;
export default wasmUrl;
