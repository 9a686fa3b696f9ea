// Generic-PG checkout, written as a user of the npm package writes it.
import init, { open, HanpayError } from "/pkg/index.js";

const $ = (id) => document.getElementById(id);
const outcome = $("outcome");

function show(state, text) {
  outcome.dataset.state = state;
  outcome.textContent = text;
}

async function signedForm() {
  // The merchant server signs; the browser only ever sees the finished form.
  const res = await fetch("/api/generic/checkout", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ amount: Number($("amount").value), goodsName: $("goods").value }),
  });
  const body = await res.json();
  if (!res.ok) throw new HanpayError("INVALID_PARAMETERS", `${body.field}: ${body.rule}`, body);
  return body;
}

await init();
$("pay").disabled = false;
$("pay").addEventListener("click", () => {
  const mode = document.querySelector("input[name=mode]:checked").value;
  show("pending", "결제창을 여는 중…");
  // No await before open(): the popup must open inside this click.
  open(signedForm(), { mode, onFallback: (info) => ($("log").textContent = `fallback: ${info.reason} → ${info.to}`) })
    .then((result) => show("paid", JSON.stringify(result, null, 2)))
    .catch((err) => {
      if (err instanceof HanpayError) {
        const pg = err.code === "PG_ERROR" ? ` [${err.pgCode}] ${err.pgMessage}` : "";
        show("error", `${err.code}${pg}: ${err.message}`);
      } else {
        show("error", String(err));
      }
      outcome.dataset.code = err?.code ?? "";
    });
});
