// After a same-window redirect (mobile) nobody waits for relayResult: the merchant's return
// page finishes the payment itself with the server step the PG result asks for.
export async function finish(next) {
  const view = document.getElementById("result-view");
  let result = next;
  // An authenticated browser step names the server step still due; money moves there.
  if (next.status === "authenticated" && next.next && next.next !== "none") {
    const res = await fetch(`/api/${next.pg}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(next),
    });
    result = await res.json();
  }
  document.body.dataset.state = result.success ? result.status ?? "paid" : result.cancelled ? "cancelled" : "error";
  document.body.dataset.code = result.success ? "" : result.code ?? "";
  view.textContent = JSON.stringify(result, null, 2);
}
