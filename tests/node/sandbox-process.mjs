// The real sandbox binary (target/debug/hanpay-sandbox, `make sandbox-bin`) on a free port, for
// the Node tests that drive it: started with PORT=0, its "listening on" line read as
// e2e/harness.mjs reads it, stopped when the test file ends. Not a test file itself.
import { after } from "node:test";
import { spawn } from "node:child_process";
import { once } from "node:events";

const ROOT = new URL("../..", import.meta.url).pathname;

export async function startSandbox() {
  const proc = spawn(`${ROOT}target/debug/hanpay-sandbox`, [], { env: { ...process.env, PORT: "0", HANPAY_ROOT: ROOT }, stdio: ["ignore", "pipe", "inherit"] });
  let buffered = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("sandbox did not start within 20 s")), 20_000);
    proc.stdout.on("data", (c) => {
      buffered += c;
      const m = buffered.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once("exit", (code) => reject(new Error(`sandbox exited early with ${code}`)));
  });
  after(async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGINT");
      await once(proc, "exit");
    }
  });
  return url;
}
