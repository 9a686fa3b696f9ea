// Seeds each fuzz target's corpus from the project's own test tables (one source of truth),
// laid out in the input format the target decodes (see the header of each fuzz_targets/*.rs).
// Existing corpus files are kept; seeds are named by content, so re-running is idempotent.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;
const data = (name) => JSON.parse(readFileSync(`${here}../tests/data/${name}`, "utf8"));
const PGS = ["xpay", "smartro", "kspay", "kcp", "kispg"];

function seed(target, bytes) {
  const dir = `${here}corpus/${target}`;
  mkdirSync(dir, { recursive: true });
  const buf = Buffer.from(bytes);
  const name = createHash("sha1").update(buf).digest("hex");
  writeFileSync(`${dir}/${name}`, buf);
}

for (const c of data("classify.json")) seed("classify", Buffer.from(c.url, "utf8"));

for (const c of data("user-agents.json")) {
  const touch = Buffer.alloc(4);
  touch.writeUInt32LE(c.touch_points ?? 0);
  seed("env", Buffer.concat([touch, Buffer.from([0]), Buffer.from(c.ua, "utf8")]));
}

const invalid = data("pg-invalid.json");
for (const c of invalid.cases) {
  const items = Object.entries(c.set).map(([k, v]) => `${k}=${v}`).join("\0");
  seed("form", Buffer.concat([Buffer.from([PGS.indexOf(c.pg), 4, 0]), Buffer.from(items, "utf8")]));
}
for (const [pg, base] of Object.entries(invalid.base)) {
  const items = Object.entries(base).map(([k, v]) => `${k}=${v}`).join("\0");
  seed("form", Buffer.concat([Buffer.from([PGS.indexOf(pg), 0, 0]), Buffer.from(items, "utf8")]));
}

for (const r of data("pg-vectors.json").results) {
  if (typeof r.body !== "string") continue;
  seed("result", Buffer.concat([Buffer.from([PGS.indexOf(r.pg), 2]), Buffer.from(r.body, "utf8")]));
}
