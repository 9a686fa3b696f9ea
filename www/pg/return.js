// After a same-window redirect (mobile) nobody waits for relayResult: the merchant's return
// page finishes the payment itself with the server step the PG result asks for.
export async function finish(next) {
  const view = document.getElementById("result-view");
  let result = next;
  // The browser step names the server step still due (`next`); the server reports the result.
  if (next.next && next.next !== "none") {
    const res = await fetch(`/api/${next.pg}/complete`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(next),
    });
    result = await res.json();
  }
  const state = settled(result);
  document.body.dataset.state = state ?? (result.cancelled ? "cancelled" : "error");
  document.body.dataset.code = state ? "" : result.code ?? "";
  view.textContent = JSON.stringify(result, null, 2);
}

/** The order's state when the server settled it: paid, or a virtual account that is pending or
 * partly deposited (not paid yet, but not an error either). */
export function settled(result) {
  return ["paid", "pending", "partially_deposited"].includes(result.status) ? result.status : null;
}
