// What every consumer app runs, written as a merchant writes a checkout page: the package's
// functions straight from "hanpay", init() once at load, open() of a server-signed form inside
// the click. The results land on `window` for tests/consumers/consumers.test.mjs to read.
import init, { version, currentEnvironment, classifyUrl, open, HanpayError } from "hanpay";

/** `initArg`: what the app passes to init() (nothing, except where the README says so). */
export async function start(initArg) {
  const out = {};
  try {
    version();
  } catch (e) {
    out.beforeInit = e instanceof HanpayError ? e.code : String(e);
  }
  try {
    await init(initArg);
    out.version = version();
    out.mode = currentEnvironment().mode;
    out.classify = classifyUrl("intent://pay#Intent;scheme=ispmobile;package=kvp.jjy.MispAndroid320;end", "android").action;
  } catch (e) {
    out.error = String(e && e.stack ? e.stack : e);
  }
  window.__hanpay = out;
  const button = document.getElementById("pay");
  button.addEventListener("click", () => {
    // The sandbox merchant signs (its /api is proxied onto this app's origin by the test).
    const form = fetch("/api/generic/checkout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ amount: 1004, goodsName: "consumer app" }),
    }).then((r) => r.json());
    open(form, { mode: "popup" }).then(
      (result) => (window.__result = result),
      (e) => (window.__result = { error: e instanceof HanpayError ? e.code : String(e) }),
    );
  });
  button.disabled = false;
}
