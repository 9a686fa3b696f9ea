// The origin a consumer app is served on in tests/consumers/consumers.test.mjs: the sandbox's
// merchant and PG paths (/api, /pg, /merchant, /pkg, /demo.css) are proxied to the sandbox, so
// the app, the signed form's PG window and the merchant return page that relays the result
// share one origin as on a merchant site; everything else is the app — a directory of built
// files, or the bundler's own dev/production server (proxied, WebSocket upgrades included).
import { createServer, request } from "node:http";
import { connect } from "node:net";
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";

const SANDBOX_PATHS = /^\/(api|pg|merchant|pkg)\/|^\/demo\.css$/;
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

function proxy(req, res, target) {
  const t = new URL(target);
  const up = request(
    { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } },
    (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    },
  );
  up.on("error", (e) => {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`front: ${target} ${e.message}`);
  });
  req.pipe(up);
}

function serveFile(req, res, dir) {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = normalize(join(dir, path));
  if (!file.startsWith(dir)) return res.writeHead(403).end();
  try {
    if (statSync(file).isDirectory()) file = join(file, "index.html");
    statSync(file);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" });
    return res.end("not found");
  }
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(res);
}

/** Starts a front server on 127.0.0.1; `app` is `{ dir }` or `{ upstream }`. Resolves with its URL. */
export async function startFront({ sandbox, app }) {
  const server = createServer((req, res) => {
    if (SANDBOX_PATHS.test(req.url)) return proxy(req, res, sandbox);
    if (app.upstream) return proxy(req, res, app.upstream);
    return serveFile(req, res, app.dir);
  });
  // The dev servers' HMR sockets: passed through byte for byte.
  const sockets = new Set();
  server.on("upgrade", (req, socket, head) => {
    if (!app.upstream) return socket.destroy();
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const t = new URL(app.upstream);
    const up = connect(Number(t.port), t.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(lines.join("\r\n") + "\r\n\r\n");
      up.write(head);
      up.pipe(socket).pipe(up);
    });
    up.on("error", () => socket.destroy());
    socket.on("error", () => up.destroy());
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const close = () =>
    new Promise((r) => {
      server.close(r);
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
    });
  return { url: `http://127.0.0.1:${server.address().port}`, close };
}
