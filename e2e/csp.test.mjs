// The checkout under a strict Content-Security-Policy (issue 16): no 'unsafe-eval', no
// 'unsafe-inline' script, only 'wasm-unsafe-eval' for hanpay's WebAssembly. The sandbox's own
// PG checkout pages (/pg/<pg>.html: one external module script, no inline code) are served here
// with the policy as a response header, so each PG flow runs as on a merchant site that sets
// it; every PG host is the sandbox's origin, so the PG parts of the policy are 'self' (README
// "Content-Security-Policy" names the real hosts). Any violation the page reports fails the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useSandbox } from "./harness.mjs";
import { IPHONE_UA, checkoutPage, outcome, payByRedirect, payInPopup } from "./pg-flows.mjs";
import { payInFrame } from "./vendor-routes.mjs";

const env = useSandbox();

/** The policy the README gives, with the PG hosts replaced by the sandbox ('self'). */
export const STRICT = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join("; ");

/** KCP 표준웹's additions: payplus_web.jsp writes inline script and styles (document.write) into
 * the adapter's about:blank frame, which inherits the checkout page's policy (README). */
export const KCP_DESKTOP = STRICT.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);

/**
 * A context whose /pg/*.html documents carry `policy`; the page's CSP violation reports
 * (securitypolicyviolation events, in the page and its same-origin frames) are collected into
 * `violations` by an init script, which runs outside the policy (it is the test, not the page).
 */
async function cspContext(policy, contextOptions = {}) {
  const context = await env.browser.newContext(contextOptions);
  await context.route(/\/pg\/[a-z]+\.html(\?.*)?$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": policy } });
  });
  await context.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, "__cspViolations", { value: seen });
    document.addEventListener("securitypolicyviolation", (e) => {
      const top = window.top && window.top.__cspViolations ? window.top.__cspViolations : seen;
      top.push({ directive: e.effectiveDirective, blocked: e.blockedURI, doc: e.documentURI });
    });
  });
  return context;
}

const violations = (page) => page.evaluate(() => window.__cspViolations);

/** How each PG's desktop window is driven to "approve" (as in e2e/pg-<pg>.test.mjs). */
const popup = async (page) => (await payInPopup(page)).click("#approve");
// KISPG and KSNET draw their PC pages in their own iframes (`pay_frame`, `payment-frame`).
const inFrame = (name) => async (page) => (await payInFrame(page, name)).click("#approve");
const DESKTOP = {
  kispg: inFrame("pay_frame"),
  smartro: popup,
  kspay: inFrame("payment-frame"),
  xpay: async (page) => {
    // XPay's script draws its iframe layer (openXpay).
    await page.click("#pay");
    const frame = await (await page.waitForSelector("iframe#LGD_PAYMENTWINDOW_IFRAME")).contentFrame();
    await frame.waitForSelector("[data-pg-window]");
    await frame.click("#approve");
  },
};

for (const [pg, approve] of Object.entries(DESKTOP)) {
  test(`${pg}: desktop payment under the strict policy → paid, no violation`, async () => {
    const context = await cspContext(STRICT);
    const page = await checkoutPage(context, env.url, pg);
    await approve(page);
    const o = await outcome(page);
    assert.equal(o.state, "paid", o.text);
    assert.deepEqual(await violations(page), []);
    await context.close();
  });
}

/** KCP's window: payplus_web.jsp in the adapter's document.write()n same-origin frame. */
async function kcpWindow(page) {
  await page.click("#pay");
  const host = await (await page.waitForSelector("iframe[data-hanpay=kcp-frame]")).contentFrame();
  const win = await (await host.waitForSelector("iframe#naxIfr")).contentFrame();
  await win.waitForSelector("[data-pg-window]");
  return win;
}

test("kcp desktop: with KCP's 'unsafe-inline' additions → paid, no violation", async () => {
  const context = await cspContext(KCP_DESKTOP);
  const page = await checkoutPage(context, env.url, "kcp");
  await (await kcpWindow(page)).click("#approve");
  const o = await outcome(page);
  assert.equal(o.state, "paid", o.text);
  assert.deepEqual(await violations(page), []);
  await context.close();
});

test("kcp desktop under the strict policy: KCP's inline code is refused, open() rejects at once", async () => {
  const context = await cspContext(STRICT);
  const page = await checkoutPage(context, env.url, "kcp");
  // The refusal happens in the adapter's about:blank frame (no init script runs there): the
  // browser's console report is the witness.
  const console = [];
  page.on("console", (m) => console.push(m.text()));
  await page.click("#pay");
  // Rejected as soon as the script ran without defining KCP's functions, not at the timeout.
  const o = await outcome(page, 5_000);
  assert.equal(o.code, "SCRIPT_LOAD_FAILED", o.text);
  assert.ok(console.some((t) => /Executing inline script violates .*Content Security Policy/.test(t)), console.join("\n"));
  await context.close();
});

test("kcp mobile (same-window redirect) needs no addition: strict policy → paid", async () => {
  const context = await cspContext(STRICT, { userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "kcp");
  const r = await payByRedirect(page);
  assert.equal(r.state, "paid", JSON.stringify(r.result));
  await context.close();
});

test("the policy is enforced: an inline script on the same page is refused and reported", async () => {
  const context = await cspContext(STRICT);
  const page = await checkoutPage(context, env.url, "kispg");
  const ran = await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.head.append(s);
    return window.__inlineRan === true;
  });
  assert.equal(ran, false);
  assert.ok((await violations(page)).some((v) => v.directive === "script-src-elem" && v.blocked === "inline"));
  await context.close();
});

test("without 'wasm-unsafe-eval' init() fails with an error that names the policy", async () => {
  const context = await cspContext(STRICT.replace(" 'wasm-unsafe-eval'", ""));
  const page = await context.newPage();
  // checkout.js awaits init() at top level: its rejection is the page's uncaught error.
  const [error] = await Promise.all([page.waitForEvent("pageerror"), page.goto(`${env.url}/pg/kispg.html`)]);
  assert.match(error.message, /WebAssembly/);
  assert.match(error.message, /Content Security Policy/);
  assert.match(error.message, /'wasm-unsafe-eval'|'unsafe-eval'/);
  const v = await violations(page);
  assert.ok(v.some((x) => x.directive === "script-src" && x.blocked === "wasm-eval"), JSON.stringify(v));
  // The pay button never enabled: nothing half-initialised is offered to the buyer.
  assert.equal(await page.isDisabled("#pay"), true);
  await context.close();
});
