// Shared Playwright steps for the per-PG suites (e2e/pg-*.test.mjs). Each PG page is
// /pg/<pg>.html, written as a user of the npm package writes it; the PG window is the sandbox's.
import assert from "node:assert/strict";

export const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 " +
  "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1";

/** Opens the PG page and waits until the package is initialised. */
export async function checkoutPage(context, base, pg, { method = "card", notifyFailures = 0, amount, query = "" } = {}) {
  const page = await context.newPage();
  await page.goto(`${base}/pg/${pg}.html${query}`);
  await page.waitForSelector("#pay:not([disabled])");
  await page.selectOption("#method", method);
  await page.fill("#notify-failures", String(notifyFailures));
  if (amount !== undefined) await page.fill("#amount", String(amount));
  return page;
}

/** Clicks pay and returns the PG popup once it shows its window (or error page). */
export async function payInPopup(page) {
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  await popup.waitForSelector("[data-pg-window], [data-pg-error]");
  return popup;
}

/** Waits for the checkout page's verdict and returns {state, code, orderId, text}. */
export async function outcome(page, timeout = 15_000) {
  await page.waitForFunction(() => {
    const s = document.getElementById("outcome").dataset.state;
    return s && s !== "working";
  }, null, { timeout });
  return page.$eval("#outcome", (el) => ({ ...el.dataset, text: el.textContent }));
}

/** Mobile: the PG page replaces the checkout page; the merchant's return page finishes. */
export async function payByRedirect(page, decision = "approve") {
  await Promise.all([page.waitForSelector("[data-pg-window]"), page.click("#pay")]);
  await page.click(`#${decision}`);
  await page.waitForFunction(() => document.body.dataset.state, null, { timeout: 15_000 });
  return page.evaluate(() => ({
    state: document.body.dataset.state,
    code: document.body.dataset.code,
    relayed: document.body.dataset.relayed,
    result: JSON.parse(document.getElementById("result-view").textContent),
  }));
}

/** Triggers the buyer's deposit at the PG and returns the delivery report. */
export async function deposit(base, pg, orderId) {
  const res = await fetch(`${base}/pg/${pg}/sandbox/deposit`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ orderId, gapMs: 50 }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

export async function orderState(base, pg, orderId) {
  return (await fetch(`${base}/api/${pg}/orders/${orderId}`)).json();
}

/** Rewrites one form field of POSTs to `urlGlob` (a tampering buyer or network). */
export async function tamper(context, urlGlob, field, value) {
  await context.route(urlGlob, (route) => {
    const req = route.request();
    if (req.method() !== "POST") return route.continue();
    const params = new URLSearchParams(req.postData() ?? "");
    params.set(field, value);
    return route.continue({ postData: params.toString() });
  });
}

/**
 * Delivers the buyer's deposit for an order whose merchant answers the first two notices wrongly
 * (`notifyFailures: 2`), and checks the PG retried until the right answer and the merchant
 * applied the deposit exactly once.
 */
export async function expectDepositAppliedOnce(base, pg, orderId) {
  const d = await deposit(base, pg, orderId);
  assert.deepEqual([d.delivered, d.attempts], [true, 3], JSON.stringify(d));
  const order = await orderState(base, pg, orderId);
  assert.equal(order.status, "paid");
  assert.equal(order.noticesReceived, 3);
  assert.equal(order.depositsProcessed, 1);
}
