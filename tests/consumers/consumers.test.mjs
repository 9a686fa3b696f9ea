// Consumer apps (issue 16, `make test-consumers`): the packed tarball of pkg/, installed into
// tests/consumers/node_modules (one install for every app: `npm ci` + `npm install --no-save
// <tarball>`), built offline by each bundler as its user builds, served on 127.0.0.1 and driven
// in Debian Chromium: init(), version(), currentEnvironment(), classifyUrl(), and open() of a
// form the sandbox merchant signs, through the PG window, back to the relayed result. Each app's
// files are exactly what its user writes; the only bundler settings are the README's lines
// ("Bundlers"): Vite 7's `optimizeDeps.exclude` and esbuild's wasm import + `--loader:.wasm=file`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { startSandbox, launchBrowser } from "../../e2e/harness.mjs";
import { startFront } from "./front.mjs";

const HERE = new URL(".", import.meta.url).pathname;
const BIN = `${HERE}node_modules/.bin/`;
const installed = JSON.parse(readFileSync(`${HERE}node_modules/hanpay/package.json`, "utf8"));
const packed = JSON.parse(readFileSync(new URL("../../pkg/package.json", import.meta.url), "utf8"));
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", BROWSERSLIST_IGNORE_OLD_DATA: "1", CI: "1" };

/** Runs a command to completion; rejects with its output when it fails. */
function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const p = spawn(cmd, args, { cwd: `${HERE}${cwd}`, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("exit", (code) =>
      code === 0 ? resolve(Date.now() - started) : reject(new Error(`${cwd}: ${cmd} ${args.join(" ")} exited ${code}\n${out}`)),
    );
  });
}

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts a long-running server and waits until it answers HTTP on `port`. */
async function startServer(cmd, args, cwd, port) {
  const p = spawn(cmd, args, { cwd: `${HERE}${cwd}`, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  p.stdout.on("data", (d) => (out += d));
  p.stderr.on("data", (d) => (out += d));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (p.exitCode !== null) throw new Error(`${cwd}: ${cmd} exited ${p.exitCode}\n${out}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.status < 500) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${cwd}: no answer on ${port}\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => (p.exitCode === null ? p.kill("SIGTERM") : undefined), output: () => out };
}

const esbuild = (format) => async () => {
  rmSync(`${HERE}esbuild/dist/${format}`, { recursive: true, force: true });
  const ms = await run(`${BIN}esbuild`, ["main.js", "--bundle", `--format=${format}`, "--loader:.wasm=file", `--outdir=dist/${format}`, "--log-level=warning"], "esbuild");
  copyFileSync(`${HERE}esbuild/${format}.html`, `${HERE}esbuild/dist/${format}/index.html`);
  return ms;
};

/** Every app: how it is built (offline, by the bundler's CLI) and served. */
const APPS = {
  // Next.js 16 (app router, Turbopack build): page.js is a server component importing hanpay;
  // checkout.js a client component, rendered by SSR and run in the browser.
  "next 16": {
    build: () => run(`${BIN}next`, ["build"], "next"),
    serve: async () => {
      const port = await freePort();
      return startServer(`${BIN}next`, ["start", "-p", String(port), "-H", "127.0.0.1"], "next", port);
    },
  },
  "vite 8 build": { build: () => run(`${BIN}vite`, ["build", "--logLevel", "warn"], "vite8"), dir: "vite8/dist" },
  "vite 7 build": { build: () => run(`${HERE}node_modules/vite7/bin/vite.js`, ["build", "--logLevel", "warn"], "vite7"), dir: "vite7/dist" },
  "webpack 5": { build: () => run(`${BIN}webpack`, ["--mode", "production"], "webpack"), dir: "webpack" },
  "parcel 2": {
    build: () => run(`${BIN}parcel`, ["build", "index.html", "--dist-dir", "dist", "--no-cache", "--public-url", "/"], "parcel"),
    dir: "parcel/dist",
  },
  "esbuild esm": { build: esbuild("esm"), dir: "esbuild/dist/esm" },
  "esbuild iife": { build: esbuild("iife"), dir: "esbuild/dist/iife" },
  "vite 8 dev": {
    serve: async () => {
      const port = await freePort();
      return startServer(`${BIN}vite`, ["--port", String(port), "--strictPort", "--host", "127.0.0.1"], "vite8", port);
    },
  },
  "vite 7 dev": {
    serve: async () => {
      const port = await freePort();
      return startServer(`${HERE}node_modules/vite7/bin/vite.js`, ["--port", String(port), "--strictPort", "--host", "127.0.0.1"], "vite7", port);
    },
  },
};

let sandbox, browser;
const built = {};
const servers = [];

before(async () => {
  assert.equal(installed.version, packed.version, "node_modules/hanpay is the tarball of this pkg/");
  sandbox = await startSandbox();
  browser = await launchBrowser();
  // Two builds at a time (the reference machine has two cores), the slowest first.
  const queue = Object.entries(APPS).filter(([, a]) => a.build);
  const worker = async () => {
    for (let next; (next = queue.shift()); ) {
      const [name, app] = next;
      built[name] = await app.build().then((ms) => ({ ms }), (error) => ({ error }));
    }
  };
  await Promise.all([worker(), worker()]);
  console.log(Object.entries(built).map(([n, b]) => `${n}: ${b.error ? "FAILED" : `${b.ms} ms`}`).join(", "));
});

after(async () => {
  for (const s of servers) await s.stop?.();
  await browser?.close();
  await sandbox?.stop();
});

for (const [name, app] of Object.entries(APPS)) {
  test(name, async () => {
    if (app.build) assert.ifError(built[name].error);
    // Stopped after each app: the two Vite majors share node_modules/.vite.
    const server = app.serve ? await app.serve() : null;
    if (server) servers.push(server);
    const front = await startFront({ sandbox: sandbox.url, app: server ? { upstream: server.url } : { dir: `${HERE}${app.dir}` } });
    try {
      await drive(name, front);
    } finally {
      server?.stop();
      await front.close();
    }
  });
}

/** The checks every app passes, in a fresh browser context on the app's front origin. */
async function drive(name, front) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const response = await page.goto(`${front.url}/`);
  assert.equal(response.status(), 200);
  if (name.startsWith("next")) {
    // The server component imported the package (rendered on the server, so in the HTML).
    assert.match(await response.text(), /<p id="server-import">imported<\/p>/);
  }
  await page.waitForFunction(() => window.__hanpay, null, { timeout: 60_000 });
  const r = await page.evaluate(() => window.__hanpay);
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.beforeInit, "NOT_INITIALIZED");
  assert.equal(r.version, packed.version);
  assert.equal(r.mode, "popup");
  assert.equal(r.classify, "launch");
  await page.waitForFunction(() => !document.getElementById("pay").disabled);
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.click("#pay")]);
  await popup.waitForSelector("#approve");
  await popup.click("#approve");
  await page.waitForFunction(() => window.__result, null, { timeout: 20_000 });
  const result = await page.evaluate(() => window.__result);
  assert.equal(result.error, undefined, JSON.stringify(result));
  // The generic PG's verified result, relayed by the sandbox merchant's return page.
  assert.equal(result.success, true, JSON.stringify(result));
  assert.equal(result.code, "0000");
  assert.equal(result.amount, 1004);
  assert.match(result.tid, /^GTID/);
  assert.deepEqual(errors, []);
  await context.close();
}
