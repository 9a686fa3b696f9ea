// Short import names for the browser package (issue 8 size budget, docs/size.md).
//
// wasm-bindgen names every import after its JS function plus a 16-hex-digit hash
// (`__wbg_addEventListener_847fd86b8c33ec43`), and each name is stored twice: in the wasm
// import section and as a key of the glue's import object. The hashes barely compress, so the
// names cost about 2 KB gzip. This renames the imports of the wasm to `a`, `b`, … `ba`, … and
// the glue's keys to match. Exports keep their names (the glue and `InitOutput` use them).
//
// The wasm binary format: a header, then sections `id, size, payload`; the import section
// (id 2) is `count, (module name, field name, import description)*`, names as
// `length, UTF-8 bytes`, numbers as unsigned LEB128
// (https://webassembly.github.io/spec/core/binary/modules.html#import-section).

function readU32(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[at++];
    value |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value >>> 0, at];
    shift += 7;
    if (shift > 28) throw new Error("short-imports: LEB128 number too long");
  }
}

function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function name(text) {
  const bytes = Buffer.from(text, "utf8");
  return [...u32(bytes.length), ...bytes];
}

// Skips one import description: function, table, memory, global or tag.
function skipDescription(buf, at) {
  const kind = buf[at++];
  const limits = (p) => {
    const flags = buf[p++];
    [, p] = readU32(buf, p);
    if (flags & 1) [, p] = readU32(buf, p);
    return p;
  };
  switch (kind) {
    case 0x00: // function: type index
      return readU32(buf, at)[1];
    case 0x01: // table: reference type, limits
      return limits(at + 1);
    case 0x02: // memory: limits
      return limits(at);
    case 0x03: // global: value type, mutability
      return at + 2;
    case 0x04: // tag: attribute, type index
      return readU32(buf, at + 1)[1];
    default:
      throw new Error(`short-imports: unknown import kind ${kind}`);
  }
}

// `a` … `z`, `A` … `Z`, then two letters: never a JS keyword, never a number.
function shortName(i) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let out = "";
  do {
    out = letters[i % letters.length] + out;
    i = Math.floor(i / letters.length) - 1;
  } while (i >= 0);
  return out;
}

/**
 * Renames the imports of module `module` in `wasm` (a Buffer). Returns the new wasm and the
 * map from old to new names.
 */
export function shortenImports(wasm, module) {
  const out = [wasm.subarray(0, 8)];
  const renamed = new Map();
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    if (id !== 2) {
      out.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, p] = readU32(wasm, start);
    const payload = [...u32(count)];
    for (let i = 0; i < count; i++) {
      let len;
      [len, p] = readU32(wasm, p);
      const mod = wasm.toString("utf8", p, p + len);
      p += len;
      [len, p] = readU32(wasm, p);
      const field = wasm.toString("utf8", p, p + len);
      p += len;
      const descStart = p;
      p = skipDescription(wasm, p);
      let newField = field;
      if (mod === module) {
        if (!renamed.has(field)) renamed.set(field, shortName(renamed.size));
        newField = renamed.get(field);
      }
      payload.push(...name(mod), ...name(newField), ...wasm.subarray(descStart, p));
    }
    if (p !== end) throw new Error("short-imports: import section size mismatch");
    out.push(Buffer.from([2, ...u32(payload.length), ...payload]));
    at = end;
  }
  return { wasm: Buffer.concat(out), renamed };
}

/** Renames the keys of the glue's import object; each key must occur exactly once. */
export function renameGlueKeys(glue, renamed) {
  for (const [from, to] of renamed) {
    const key = new RegExp(`(^|[\\s{,])${from.replace(/\$/g, "\\$")}(?=\\s*:)`, "g");
    const hits = glue.match(key)?.length ?? 0;
    if (hits !== 1) throw new Error(`short-imports: import ${from} appears ${hits} times as a key in the glue`);
    glue = glue.replace(key, `$1${to}`);
  }
  return glue;
}
