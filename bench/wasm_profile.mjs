// Where the app's wasm bytes go: function-body sizes of the unoptimised
// release build (which keeps its name section), summed by crate, plus the
// data section. Shares, not exact post-wasm-opt sizes: wasm-opt shrinks
// every crate's code by roughly the same factor.
import { readFileSync } from 'node:fs';

function leb(bytes, at) {
  let value = 0, shift = 0, b;
  do { b = bytes[at++]; value += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [value, at];
}

const CRATES = ['async_playground', 'yew', 'serde_json', 'serde', 'wasm_bindgen', 'js_sys', 'web_sys',
  'hashbrown', 'futures', 'gloo', 'indexmap', 'dlmalloc', 'compiler_builtins', 'alloc', 'core', 'std'];

function crateOf(name) {
  if (name.startsWith('__wbindgen') || name.startsWith('__wbg')) return 'wasm_bindgen (JS glue)';
  const head = name.slice(0, 90);
  // Generic code is named after the crate it is instantiated for, first.
  let best = null, bestAt = Infinity;
  for (const c of CRATES) {
    const at = head.indexOf(c);
    if (at >= 0 && at < bestAt) { best = c; bestAt = at; }
  }
  return best ?? 'other';
}

export function wasmProfile(path) {
  const bytes = readFileSync(path);
  let at = 8, importedFuncs = 0, code = null, data = 0;
  const names = new Map();
  while (at < bytes.length) {
    const id = bytes[at++];
    let size; [size, at] = leb(bytes, at);
    const start = at;
    if (id === 2) {
      let n, p; [n, p] = leb(bytes, at);
      for (let i = 0; i < n; i++) {
        let l; [l, p] = leb(bytes, p); p += l; [l, p] = leb(bytes, p); p += l;
        const kind = bytes[p++];
        if (kind === 0) { [, p] = leb(bytes, p); importedFuncs++; }
        else if (kind === 1) { p++; let flags; [flags, p] = leb(bytes, p); [, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); }
        else if (kind === 2) { let flags; [flags, p] = leb(bytes, p); [, p] = leb(bytes, p); if (flags & 1) [, p] = leb(bytes, p); }
        else if (kind === 3) p += 2;
      }
    } else if (id === 10) code = [start, size];
    else if (id === 11) data = size;
    else if (id === 0) {
      let l, p; [l, p] = leb(bytes, at);
      if (bytes.toString('utf8', p, p + l) === 'name') {
        p += l;
        while (p < start + size) {
          const sub = bytes[p++]; let len; [len, p] = leb(bytes, p);
          const end = p + len;
          if (sub === 1) {
            let n, q; [n, q] = leb(bytes, p);
            for (let i = 0; i < n; i++) {
              let idx, nl; [idx, q] = leb(bytes, q); [nl, q] = leb(bytes, q);
              names.set(idx, bytes.toString('utf8', q, q + nl)); q += nl;
            }
          }
          p = end;
        }
      }
    }
    at = start + size;
  }
  const byCrate = new Map();
  let total = 0;
  if (code) {
    let [n, p] = leb(bytes, code[0]);
    for (let i = 0; i < n; i++) {
      let size; [size, p] = leb(bytes, p);
      const name = names.get(importedFuncs + i) ?? '';
      p += size;
      // Type descriptors that the wasm-bindgen CLI runs and then removes.
      if (name.startsWith('__wbindgen_describe')) continue;
      const c = crateOf(name);
      byCrate.set(c, (byCrate.get(c) ?? 0) + size);
      total += size;
    }
  }
  const rows = [...byCrate.entries()].sort((a, b) => b[1] - a[1])
    .map(([crate, bytes]) => ({ crate, bytes, share: bytes / total }));
  return { code_bytes: total, data_bytes: data, by_crate: rows };
}
