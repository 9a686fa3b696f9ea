// The one line Vite 7 needs (README "Bundlers"): its dev-server dependency optimizer would
// otherwise pre-bundle hanpay away from hanpay_bg.wasm and serve index.html for the wasm.
export default { optimizeDeps: { exclude: ["hanpay"] } };
