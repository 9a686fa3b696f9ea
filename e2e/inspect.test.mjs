// The sandbox inspector (/_inspect, /_inspect.json; sandbox/src/inspect.rs): what each emulated
// PG received (fields, byte lengths against hanpay's tables, signature check, the answer) and
// every notification with its retries; hostile values stay text; foreign Hosts get nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { useSandbox } from "./harness.mjs";
import { checkoutPage, payInPopup, outcome, deposit, tamper } from "./pg-flows.mjs";

const env = useSandbox();

const snapshot = async (since = 0) => (await fetch(`${env.url}/_inspect.json?since=${since}`)).json();

test("a signed Smartro request: decoded fields, UTF-8 byte lengths against the table, signature verified", async () => {
  const { seq } = await snapshot();
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartro");
  await page.fill("#goods", "테스트 상품");
  const popup = await payInPopup(page);
  await popup.click("#approve");
  assert.equal((await outcome(page)).state, "paid");
  await context.close();
  const window = (await snapshot(seq)).requests.find((r) => r.path === "/pg/smartro/interfaceURL.jsp");
  assert.ok(window, "the window request was recorded");
  assert.equal(window.method, "POST");
  assert.equal(window.status, 200);
  assert.equal(window.signatureField, "EncryptData");
  assert.equal(window.signature, "verified");
  const goods = window.fields.find((f) => f.name === "GoodsName");
  assert.equal(goods.value, "테스트 상품");
  // Smartro's table counts UTF-8 (crates/hanpay-pg/src/pg/smartro/mod.rs): 5 Hangul × 3 bytes + 1 space.
  assert.equal(goods.bytes, 16);
  assert.equal(typeof goods.max, "number");
  assert.equal(goods.over, false);
});

test("a tampered amount shows as a signature mismatch with the emulator's refusal", async () => {
  const { seq } = await snapshot();
  const context = await env.browser.newContext();
  await tamper(context, "**/pg/xpay/window", "LGD_AMOUNT", "10");
  const page = await checkoutPage(context, env.url, "xpay");
  await page.click("#pay");
  await (await (await page.waitForSelector("iframe#LGD_PAYMENTWINDOW_IFRAME")).contentFrame()).waitForSelector("[data-pg-error]");
  await context.close();
  const r = (await snapshot(seq)).requests.find((x) => x.path === "/pg/xpay/window");
  assert.equal(r.signature, "mismatch");
  assert.equal(r.error, "LGD_HASHDATA:mismatch");
  assert.equal(r.status, 400);
  assert.equal(r.fields.find((f) => f.name === "LGD_AMOUNT").value, "10");
  assert.match(r.bodyExcerpt, /LGD_HASHDATA/);
});

test("a deposit notice: every attempt and the merchant's replies, then delivered", async () => {
  const context = await env.browser.newContext();
  const page = await checkoutPage(context, env.url, "smartro", { method: "vbank", notifyFailures: 2 });
  const popup = await payInPopup(page);
  await popup.click("#approve");
  const o = await outcome(page);
  await context.close();
  const { seq } = await snapshot();
  const d = await deposit(env.url, "smartro", o.orderId);
  assert.equal(d.attempts, 3);
  const [n] = (await snapshot(seq)).notices;
  assert.equal(n.pg, "smartro");
  assert.match(n.url, /\/merchant\/smartro\//);
  assert.equal(n.delivered, true);
  assert.deepEqual(n.attempts.map((a) => a.n), [1, 2, 3]);
  assert.notEqual(n.attempts[0].reply.trim(), "OK", "the first replies were wrong");
  assert.equal(n.attempts[2].reply.trim(), "OK");
  assert.ok(n.fields.some(([k]) => k === "SignValue"), "the signed notice's fields");
});

test("EUC-KR bytes are counted in EUC-KR, and over-long fields are flagged", async () => {
  const { seq } = await snapshot();
  // KSPay counts EUC-KR (crates/hanpay-pg/src/pg/kspay/mod.rs): 2 bytes per Hangul syllable.
  const goods = "가".repeat(200);
  const body = new URLSearchParams({ sndGoodname: goods, sndStoreid: "2999199999" }).toString();
  await fetch(`${env.url}/pg/kspay/store/KSPayMobileV1.4/KSPayPWeb.jsp`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  const r = (await snapshot(seq)).requests.find((x) => x.pg === "kspay");
  assert.equal(r.charset, "EUC-KR");
  const f = r.fields.find((x) => x.name === "sndGoodname");
  assert.equal(f.bytes, 400);
  assert.ok(f.max < 400 && f.over, JSON.stringify(f));
});

test("the page shows the record live and keeps hostile values inert", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}/_inspect`);
  const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
  // Recorded after the page loaded: it must appear without a reload.
  await fetch(`${env.url}/pg/kcp/window`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ good_name: hostile, "<b>name</b>": "x" }).toString(),
  });
  const entry = page.locator("#requests details[data-pg=kcp]").first();
  await entry.waitFor({ timeout: 5000 });
  await entry.locator("summary").click();
  assert.ok((await entry.textContent()).includes(hostile), "shown as text, byte for byte");
  assert.ok((await entry.textContent()).includes("<b>name</b>"));
  assert.equal(await page.locator("#requests img, #requests script, #requests b").count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await context.close();
});

test("another Host gets neither the page nor the record (DNS rebinding)", async () => {
  const port = new URL(env.url).port;
  for (const path of ["/_inspect", "/_inspect.json"]) {
    const status = await new Promise((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, headers: { host: `rebind.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 421, path);
  }
  const res = await fetch(`${env.url}/_inspect`);
  assert.equal(res.headers.get("x-frame-options"), "DENY");
});
