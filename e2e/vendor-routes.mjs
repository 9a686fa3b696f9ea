// The production code path under test: the checkout page calls pay() without the `sandbox`
// option (/pg/<pg>.html?real), so hanpay posts to the real PG URLs the merchant server signed.
// The browser's network layer routes those hosts to the local sandbox's emulation, so nothing
// reaches the internet: `https://<host>/<path>` is answered by `<sandbox>/pg/<pg>/<path>`, and
// the sandbox's own links inside those pages (`/pg/...`, `/demo.css`) by the same path there.
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, startSandbox } from "./harness.mjs";
import { checkoutPage } from "./pg-flows.mjs";

/**
 * useSandbox() for the production path. The routed PG pages count as public sites to Chromium,
 * and their posts back to the merchant, which here is on 127.0.0.1, would be stopped by its
 * Local Network Access checks (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS). With the real
 * PG and a real merchant both are public sites and no such check applies, so it is turned off.
 */
export function useVendorSandbox() {
  const env = { url: "", browser: null };
  let sandbox;
  before(async () => {
    sandbox = await startSandbox();
    env.url = sandbox.url;
    env.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: [
        ...CHROMIUM_ARGS,
        "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessForNavigations,PrivateNetworkAccessRespectPreflightResults",
      ],
    });
  });
  after(async () => {
    await env.browser?.close();
    await sandbox?.stop();
  });
  return env;
}

export async function routeVendor(context, base, pg, hosts) {
  const own = new URL(base).host;
  // Anything else on the internet fails instead of leaving the machine. Registered first:
  // Playwright tries the routes registered later first.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort("blockedbyclient"));
  for (const host of hosts) {
    await context.route(`https://${host}/**`, async (route) => {
      const req = route.request();
      const u = new URL(req.url());
      const path = u.pathname.startsWith("/pg/") || u.pathname === "/demo.css" ? u.pathname : `/pg/${pg}${u.pathname}`;
      const response = await route.fetch({ url: `${base}${path}${u.search}`, headers: { ...req.headers(), host: own } });
      await route.fulfill({ response });
    });
  }
}

/** The checkout page on the production path (no sandbox option). */
export async function realCheckoutPage(context, base, pg, opts) {
  return checkoutPage(context, base, pg, { ...opts, query: "?real" });
}

/** Clicks pay and returns the frame named `name` once it shows the PG window (or error page). */
export async function payInFrame(page, name) {
  await page.click("#pay");
  const sel = `iframe[name="${name}"]`;
  await page.waitForSelector(sel);
  const frame = await (await page.$(sel)).contentFrame();
  await frame.waitForSelector("[data-pg-window], [data-pg-error]");
  return frame;
}
