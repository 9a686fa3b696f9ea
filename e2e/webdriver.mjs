// A small W3C WebDriver client (https://www.w3.org/TR/webdriver2/) over Node's fetch, for the
// engines Playwright cannot drive from Debian's packages: Firefox ESR through geckodriver and
// WebKitGTK through WebKitWebDriver (issue #16 item 3). Only what the engine suites use: sessions,
// navigation, scripts, window handles, element find/click, screenshots.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync } from "node:fs";

/** The W3C element reference key (§12.1 "web element identifier"). */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/** A free loopback port for a driver (the driver binds it itself). */
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The engines, each with its Debian driver and the capabilities that make it headless. */
export const ENGINES = {
  firefox: {
    driver: () => process.env.GECKODRIVER || `${process.env.HOME}/.cargo/bin/geckodriver`,
    args: (port) => [`--port=${port}`, "--host=127.0.0.1"],
    capabilities: () => ({
      browserName: "firefox",
      "moz:firefoxOptions": {
        binary: process.env.FIREFOX || "/usr/bin/firefox-esr",
        args: ["-headless"],
        prefs: {
          // geckodriver turns Firefox's popup blocker off; buyers have it on.
          "dom.disable_open_during_load": true,
          // No first-run pages, updates or telemetry: the tests talk to 127.0.0.1 only.
          "browser.shell.checkDefaultBrowser": false,
          "app.update.enabled": false,
          "datareporting.policy.dataSubmissionEnabled": false,
          "toolkit.telemetry.enabled": false,
          "network.captive-portal-service.enabled": false,
          "browser.safebrowsing.malware.enabled": false,
          "browser.safebrowsing.phishing.enabled": false,
        },
      },
    }),
  },
  webkit: {
    driver: () => process.env.WEBKITWEBDRIVER || "/usr/bin/WebKitWebDriver",
    args: (port) => [`--port=${port}`, "--host=127.0.0.1"],
    // WebKitWebDriver starts MiniBrowser (shipped with the WebKitGTK library) with `--automation`
    // by default. WebKitGTK 2.50's MiniBrowser has no headless mode: it needs an X display, which
    // `ensureDisplay` provides with Xvfb.
    capabilities: () => ({
      "webkitgtk:browserOptions": { binary: process.env.MINIBROWSER || miniBrowser(), args: ["--automation"] },
    }),
  },
};

/** Debian ships MiniBrowser under the WebKitGTK library's libexec directory. */
export function miniBrowser() {
  for (const api of ["4.1", "4.0", "6.0"]) {
    const p = `/usr/lib/x86_64-linux-gnu/webkit2gtk-${api}/MiniBrowser`;
    if (existsSync(p)) return p;
  }
  return "MiniBrowser";
}

/** Whether the engine's driver and browser are installed (`make setup` installs both). */
export function engineInstalled(name) {
  const e = ENGINES[name];
  if (!existsSync(e.driver())) return false;
  if (name === "firefox") return existsSync(e.capabilities()["moz:firefoxOptions"].binary);
  return existsSync(e.capabilities()["webkitgtk:browserOptions"].binary);
}

let xvfb;
/**
 * An X display for WebKitGTK: `$DISPLAY` if set, else one Xvfb for this process (Debian `xvfb`,
 * installed by `make setup`), stopped when the process exits.
 */
export async function ensureDisplay() {
  if (process.env.DISPLAY) return process.env.DISPLAY;
  if (!xvfb) {
    xvfb = new Promise((resolve, reject) => {
      // -displayfd: Xvfb picks a free display number and writes it to fd 3.
      const proc = spawn("Xvfb", ["-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1280x1024x24"], {
        stdio: ["ignore", "ignore", "pipe", "pipe"],
      });
      let out = "";
      proc.stdio[3].on("data", (c) => {
        out += c;
        if (out.includes("\n")) {
          // Running Xvfb must not keep this process alive once the tests are done.
          proc.unref();
          proc.stdio[3].unref?.();
          proc.stderr.unref?.();
          resolve(`:${out.trim()}`);
        }
      });
      proc.once("error", reject);
      proc.once("exit", (code) => reject(new Error(`Xvfb exited with ${code}`)));
      process.once("exit", () => proc.kill());
    });
  }
  return xvfb;
}

class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path} → ${status} ${value?.error ?? ""}: ${value?.message ?? JSON.stringify(value)}`);
    this.error = value?.error;
  }
}

/** One driver process and one session in it. */
export class Session {
  constructor(proc, base, id, engine) {
    this.proc = proc;
    this.base = base;
    this.id = id;
    this.engine = engine;
  }

  /** Starts the engine's driver on a free port and opens a session. */
  static async start(name) {
    const e = ENGINES[name];
    const port = await freePort();
    const env = name === "webkit" ? { ...process.env, DISPLAY: await ensureDisplay() } : process.env;
    const proc = spawn(e.driver(), e.args(port), { stdio: ["ignore", "ignore", "pipe"], env });
    let stderr = "";
    proc.stderr.on("data", (c) => (stderr = (stderr + c).slice(-4000)));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(`${base}/status`);
        if (r.ok) break;
      } catch {
        // not bound yet
      }
      if (proc.exitCode !== null || i > 200) {
        proc.kill();
        throw new Error(`${name} driver did not start: ${stderr}`);
      }
      await sleep(50);
    }
    const res = await raw(base, "POST", "/session", { capabilities: { alwaysMatch: e.capabilities() } });
    const s = new Session(proc, base, res.sessionId, name);
    s.capabilities = res.capabilities;
    await s.cmd("POST", "/timeouts", { script: 20_000, pageLoad: 30_000, implicit: 0 });
    return s;
  }

  cmd(method, path, body) {
    return raw(this.base, method, `/session/${this.id}${path}`, body);
  }

  async close() {
    try {
      await raw(this.base, "DELETE", `/session/${this.id}`);
    } catch {
      // the browser may already be gone; the driver is stopped below either way
    }
    if (this.proc.exitCode === null) {
      this.proc.kill("SIGTERM");
      await new Promise((r) => {
        const t = setTimeout(() => {
          this.proc.kill("SIGKILL");
          r();
        }, 3000);
        this.proc.once("exit", () => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  goto(url) {
    return this.cmd("POST", "/url", { url });
  }
  url() {
    return this.cmd("GET", "/url");
  }
  back() {
    return this.cmd("POST", "/back", {});
  }

  /**
   * Runs `fn` (a function or its source) in the current browsing context with `args`. In Firefox
   * the script runs in WebDriver's own sandbox, and objects it makes reach the page's code as
   * wrappers without own data properties (a form built here is "missing" its action): code that
   * hands objects to the package runs in the page instead ([`inPage`]).
   */
  execute(fn, ...args) {
    return this.cmd("POST", "/execute/sync", { script: `return (${fn}).apply(null, arguments)`, args });
  }

  /** Runs module code `source` as a page script (the page's own realm, not WebDriver's). */
  inPage(source) {
    return this.execute((code) => {
      const s = document.createElement("script");
      s.type = "module";
      s.textContent = code;
      document.head.append(s);
    }, source);
  }

  /** Runs an async `fn`; its promise's value is the result. */
  executeAsync(fn, ...args) {
    const script = `const done = arguments[arguments.length - 1];
      Promise.resolve((${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
        .then((v) => done({ ok: v }), (e) => done({ err: String(e && e.stack || e) }));`;
    return this.cmd("POST", "/execute/async", { script, args }).then((r) => {
      if (r && "err" in r) throw new Error(r.err);
      return r?.ok;
    });
  }

  /** Polls `fn` in the page until it returns a truthy value; returns that value. */
  async waitFor(fn, { timeout = 15_000, args = [], what = String(fn) } = {}) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await this.execute(fn, ...args);
        if (last) return last;
      } catch (e) {
        // a navigation in progress: the context answers again once the new document exists
        if (!/no such window|unknown error|javascript error|no such frame|stale/i.test(String(e))) throw e;
        last = String(e);
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
      await sleep(100);
    }
  }

  async find(css) {
    const el = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return el[ELEMENT];
  }

  /** A WebDriver element click: a trusted click with user activation (popups may open). */
  async click(css) {
    const id = await this.find(css);
    await this.cmd("POST", `/element/${id}/click`, {});
  }

  windowHandles() {
    return this.cmd("GET", "/window/handles");
  }
  windowHandle() {
    return this.cmd("GET", "/window");
  }
  switchToWindow(handle) {
    return this.cmd("POST", "/window", { handle });
  }

  /** Waits for a window other than `known` and returns its handle. */
  async waitForNewWindow(known, timeout = 15_000) {
    const end = Date.now() + timeout;
    for (;;) {
      const handles = await this.windowHandles();
      const fresh = handles.find((h) => !known.includes(h));
      if (fresh) return fresh;
      if (Date.now() > end) throw new Error("no new window opened");
      await sleep(100);
    }
  }

  /** Waits until `handle` is no longer open. */
  async waitForWindowClosed(handle, timeout = 10_000) {
    const end = Date.now() + timeout;
    while ((await this.windowHandles()).includes(handle)) {
      if (Date.now() > end) return false;
      await sleep(100);
    }
    return true;
  }

  /** Closes the current window; the caller switches to another handle afterwards. */
  closeWindow() {
    return this.cmd("DELETE", "/window");
  }

  /** A PNG of the current viewport. */
  async screenshot() {
    return Buffer.from(await this.cmd("GET", "/screenshot"), "base64");
  }
}

async function raw(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json; charset=utf-8" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(method, path, res.status, { message: text.slice(0, 500) });
  }
  if (!res.ok || json.value?.error) throw new WebDriverError(method, path, res.status, json.value);
  return json.value;
}
