// The demo home page loads the wasm module and shows what it computed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { useSandbox } from "./harness.mjs";

const env = useSandbox();
const cargoVersion = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8")
  .match(/^version = "([^"]+)"/m)[1];

test("home page loads the wasm module and shows version and environment", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/`);
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.getAttribute("body", "data-ready"), "true", await page.textContent("#status"));
  assert.match(await page.textContent("h1"), /hanpay/);
  assert.equal(await page.textContent("#version"), cargoVersion);
  const detected = JSON.parse(await page.textContent("#environment"));
  // Headless Chromium on Linux is a desktop browser, outside any in-app browser.
  assert.equal(detected.os, "linux");
  assert.equal(detected.device, "desktop");
  assert.equal(detected.in_app, null);
  assert.equal(detected.mode, "popup");
  await page.close();
});

test("an Android KakaoTalk visitor is told to use the redirect mode", async () => {
  const context = await env.browser.newContext({
    userAgent:
      "Mozilla/5.0 (Linux; Android 13; SM-S911N Build/TP1A.220624.014; wv) AppleWebKit/537.36 " +
      "(KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36 KAKAOTALK 10.4.5",
    hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto(`${env.url}/`);
  await page.waitForSelector("body[data-ready=true]");
  const detected = JSON.parse(await page.textContent("#environment"));
  assert.equal(detected.in_app, "kakaotalk");
  assert.equal(detected.mode, "redirect");
  await context.close();
});
