// The npm package entry: the wasm-bindgen module plus the HanpayError class.
// Importing it touches no `window`; call the default export (init) before anything else.
export * from "./hanpay.js";
export { default } from "./hanpay.js";
export { HanpayError } from "./errors.js";
