// A PG checkout page, written as a user of the npm package writes it. The page's
// <body data-pg="…"> names the PG; everything else is the same for every PG:
//  1. the merchant server signs the form (POST /api/<pg>/checkout);
//  2. hanpay's adapter shows the PG window and resolves what the server must do next;
//  3. the merchant server does it (POST /api/<pg>/complete) and answers the verified result.
import init, { pay, currentEnvironment, appReturnFields, HanpayError } from "/pkg/index.js";
import { settled } from "./return.js";

const $ = (id) => document.getElementById(id);
const pg = document.body.dataset.pg;
const outcome = $("outcome");

function show(state, text, extra = {}) {
  outcome.dataset.state = state;
  outcome.dataset.code = extra.code ?? "";
  outcome.dataset.orderId = extra.orderId ?? "";
  outcome.textContent = text;
}

await init();
const env = currentEnvironment();
$("env").textContent = `${env.device} · ${env.in_app ?? "browser"} → ${env.mode}`;

// Inside the sample apps the page is opened with ?appScheme=<the app's URL scheme>: the PG must
// send the buyer back to the app after ISP / app-card hops (KISPG resultScheme, KSNET sndRtApp).
const appScheme = new URLSearchParams(location.search).get("appScheme");
const appReturn = appScheme ? appReturnFields(appScheme) : null;

async function signedForm() {
  const res = await fetch(`/api/${pg}/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      amount: Number($("amount").value),
      goodsName: $("goods").value,
      method: $("method").value,
      // Phones, tablets and in-app browsers get the PG's mobile page (same-window redirect).
      mobile: env.mode === "redirect",
      notifyFailures: Number($("notify-failures")?.value ?? 0),
      appReturn,
    }),
  });
  const body = await res.json();
  if (!res.ok) throw new HanpayError("INVALID_PARAMETERS", body.message ?? `${body.field}: ${body.rule}`, body);
  show("working", "결제창 진행 중…", { orderId: body.orderId });
  return body;
}

$("pay").disabled = false;
$("pay").addEventListener("click", async () => {
  show("working", "결제창을 여는 중…");
  try {
    // No await before pay(): a popup must open inside this click.
    // ?real: the production path — the real PG URLs the server signed, no sandbox swap (the
    // E2E vendor-*.test.mjs route those hosts to the sandbox in the browser's network layer).
    // ?mode=popup|iframe passes the engine's window choice through.
    const q = new URLSearchParams(location.search);
    const opts = q.has("real") ? {} : { sandbox: location.origin };
    if (q.get("mode")) opts.mode = q.get("mode");
    const next = await pay(pg, signedForm(), opts);
    $("next").textContent = JSON.stringify(next, null, 2);
    // The server's verdict on the browser step (issue #12 statuses): a decline or a refused
    // message has no server step to run; show it as the PG's error.
    if (next.status === "failed" || next.status === "rejected") {
      throw new HanpayError("PG_ERROR", next.message || "the payment did not go through", {
        pgCode: next.code,
        pgMessage: next.message,
        result: next,
      });
    }
    const res = await fetch(`/api/${pg}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(next),
    });
    const result = await res.json();
    const state = settled(result);
    show(state ?? "error", JSON.stringify(result, null, 2), {
      code: state ? "" : result.code,
      orderId: next.orderId,
    });
  } catch (err) {
    const code = err instanceof HanpayError ? err.code : "UNKNOWN";
    const pgPart = code === "PG_ERROR" ? ` [${err.pgCode}] ${err.pgMessage}` : "";
    show("error", `${code}${pgPart}: ${err.message}`, { code, orderId: outcome.dataset.orderId });
  }
});
