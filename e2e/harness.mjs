// Shared E2E harness: starts the sandbox on a free loopback port, launches Debian's Chromium
// through playwright-core (never a downloaded browser), and stops both afterwards.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { before, after, afterEach } from "node:test";
import { chromium } from "playwright-core";

const ROOT = new URL("..", import.meta.url).pathname;

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Starts target/debug/hanpay-sandbox on an OS-chosen port; resolves with its base URL. */
export async function startSandbox() {
  const proc = spawn(`${ROOT}target/debug/hanpay-sandbox`, [], {
    env: { ...process.env, PORT: "0", HANPAY_ROOT: ROOT },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let buffered = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("sandbox did not start within 20 s")), 20_000);
    proc.stdout.on("data", (chunk) => {
      buffered += chunk;
      const m = buffered.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once("exit", (code) => reject(new Error(`sandbox exited early with ${code}`)));
  });
  return {
    url,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill("SIGINT");
        await once(proc, "exit");
      }
    },
  };
}

/** Debian Chromium. `bfcache: true` keeps the back-forward cache on (Playwright turns it off). */
export async function launchBrowser({ bfcache = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: bfcache ? ["--disable-back-forward-cache"] : [],
  });
}

/** Where a failing test leaves its screenshot and inspector record (git-ignored). */
export const ARTIFACTS = process.env.HANPAY_ARTIFACTS || `${ROOT}e2e/artifacts`;

/** A test name as a file name: letters, digits, `-` and `_` only, at most 120 characters. */
export function artifactName(name) {
  return name.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 120) || "test";
}

/**
 * Saves `<ARTIFACTS>/<name>.png` (from `screenshot()`, if it yields one) and `<name>.inspect.json`
 * (the sandbox inspector's record at `base`/_inspect.json: every request the emulated PGs got and
 * every notification they sent). Best effort: a failing test must report its own error, not this.
 */
export async function saveArtifacts(name, { screenshot, base }) {
  const file = `${ARTIFACTS}/${artifactName(name)}`;
  mkdirSync(ARTIFACTS, { recursive: true });
  const written = [];
  try {
    const png = await screenshot?.();
    if (png) {
      writeFileSync(`${file}.png`, png);
      written.push(`${file}.png`);
    }
  } catch (e) {
    console.error(`# artifacts: no screenshot (${e.message})`);
  }
  if (base) {
    try {
      const res = await fetch(`${base}/_inspect.json`);
      writeFileSync(`${file}.inspect.json`, await res.text());
      written.push(`${file}.inspect.json`);
    } catch (e) {
      console.error(`# artifacts: no inspector record (${e.message})`);
    }
  }
  if (written.length) console.error(`# artifacts: ${written.join(", ")}`);
  return written;
}

/** The page a failed Playwright test was looking at: the newest page of the newest context. */
function lastPage(browser) {
  const pages = (browser?.contexts() ?? []).flatMap((c) => c.pages()).filter((p) => !p.isClosed());
  return pages.at(-1);
}

/**
 * For a test file: starts the sandbox and Chromium before its tests and stops both after them.
 * Returns `{ url, browser }`, filled in once the `before` hook has run. A test that fails leaves
 * `e2e/artifacts/<test name>.png` and `.inspect.json` ([`saveArtifacts`]).
 */
export function useSandbox() {
  const env = { url: "", browser: null };
  let sandbox;
  before(async () => {
    sandbox = await startSandbox();
    env.url = sandbox.url;
    env.browser = await launchBrowser();
  });
  afterEach(async (t) => {
    if (t.passed || !env.url) return;
    const page = lastPage(env.browser);
    await saveArtifacts(t.name, { screenshot: page && (() => page.screenshot({ timeout: 5000 })), base: env.url });
  });
  after(async () => {
    await env.browser?.close();
    await sandbox?.stop();
  });
  return env;
}

/**
 * A new context and a sandbox page (`path`, default the home page) with the npm package imported
 * and initialised as `window.hanpay`, for tests that call the API from the page.
 */
export async function packagePage(env, { contextOptions = {}, path = "/index.html" } = {}) {
  const context = await env.browser.newContext(contextOptions);
  const page = await context.newPage();
  await page.goto(`${env.url}${path}`);
  await page.evaluate(async () => {
    const hanpay = await import("/pkg/index.js");
    await hanpay.default();
    window.hanpay = hanpay;
  });
  return { context, page };
}
