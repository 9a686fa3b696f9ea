// `make bench`: loads www/bench.html in headless Chromium against the sandbox and prints the
// medians (issue 8). A measurement, not a test: nothing here fails on a slow machine.
import { startSandbox, launchBrowser } from "./harness.mjs";

const runs = Number(process.env.BENCH_RUNS || 200);
const sandbox = await startSandbox();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}/bench.html?runs=${runs}`);
  await page.waitForFunction(() => window.hanpayBench, null, { timeout: 120_000 });
  const r = await page.evaluate(() => window.hanpayBench);
  if (r.error) throw new Error(r.error);
  const row = (name, value, unit) => console.log(`${name.padEnd(38)} ${value.toFixed(3).padStart(10)} ${unit}`);
  console.log(`hanpay latency, headless Chromium, median of ${r.runs} runs`);
  row("wasm fetch + compile + instantiate", r.wasm_fetch_instantiate_ms, "ms");
  row("first init() (glue + instantiate)", r.first_init_ms, "ms (single run)");
  row("classifyUrl, per URL (10-URL mix)", r.classify_url_us, "µs");
  row("detectEnvironment + form build/check", r.form_build_validate_ms * 1000, "µs");
} finally {
  await browser.close();
  await sandbox.stop();
}
