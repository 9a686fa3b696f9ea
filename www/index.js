// The demo home page, written as a user of the npm package would write it.
import init, { version, detectEnvironment } from "/pkg/index.js";

const status = document.getElementById("status");
try {
  await init();
  document.getElementById("version").textContent = version();
  const env = detectEnvironment(navigator.userAgent, navigator.maxTouchPoints || 0);
  document.getElementById("environment").textContent = JSON.stringify(env, null, 2);
  // Keep a hybrid app's ?appScheme= on the way to the checkout pages.
  const appScheme = new URLSearchParams(location.search).get("appScheme");
  if (appScheme) {
    for (const a of document.querySelectorAll("#demos a")) {
      const url = new URL(a.href);
      url.searchParams.set("appScheme", appScheme);
      a.href = url.href;
    }
  }
  document.body.dataset.ready = "true";
} catch (err) {
  status.textContent = `hanpay failed to load: ${err}`;
  document.body.dataset.ready = "error";
}
