// The demo home page, written as a user of the npm package would write it.
import init, { version, detectEnvironment } from "/pkg/index.js";

const status = document.getElementById("status");
try {
  await init();
  document.getElementById("version").textContent = version();
  const env = detectEnvironment(navigator.userAgent, navigator.maxTouchPoints || 0);
  document.getElementById("environment").textContent = JSON.stringify(env, null, 2);
  document.body.dataset.ready = "true";
} catch (err) {
  status.textContent = `hanpay failed to load: ${err}`;
  document.body.dataset.ready = "error";
}
