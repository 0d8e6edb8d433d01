// The first-load budget as a test (`make test`, after `make dist`): the app's
// wasm and its JS glue in dist/, gzip level 9 as node's zlib computes it, must
// not exceed BUDGET_BYTES. Exits 1 with the figures when they do. Reads only
// dist/; no network, no input.
//   node bench/budget.mjs [dist-dir]
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** 272 KiB: wasm + JS, gzip -9. */
export const BUDGET_BYTES = 272 * 1024;

/** A file's size, raw and gzip -9. */
export function fileSize(dir, file) {
  const bytes = readFileSync(join(dir, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** What a first visit downloads before the app is interactive: the app's wasm and JS. */
export function firstLoad(dist) {
  const files = readdirSync(dist);
  const find = (re) => {
    const found = files.filter((f) => re.test(f));
    if (found.length !== 1) throw new Error(`expected one file matching ${re} in ${dist}, found ${found.length} (run make dist)`);
    return fileSize(dist, found[0]);
  };
  const wasm = find(/^app-.*_bg\.wasm$/);
  const js = find(/^app-.*\.js$/);
  return { wasm, js, total_gzip: wasm.gzip + js.gzip };
}

const main = resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url);
if (main) {
  const dist = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
  const { wasm, js, total_gzip } = firstLoad(dist);
  const line = (f) => `  ${f.file}: ${f.raw.toLocaleString('en')} raw, ${f.gzip.toLocaleString('en')} gzip -9`;
  const verdict = total_gzip <= BUDGET_BYTES ? 'within' : 'OVER';
  console.log(`first-load bundle ${total_gzip.toLocaleString('en')} bytes gzip -9, ${verdict} the budget of ${BUDGET_BYTES.toLocaleString('en')} (${(total_gzip / 1024).toFixed(1)} of ${BUDGET_BYTES / 1024} KiB${total_gzip <= BUDGET_BYTES ? `; ${(BUDGET_BYTES - total_gzip).toLocaleString('en')} bytes left` : ''})`);
  console.log(line(wasm));
  console.log(line(js));
  if (total_gzip > BUDGET_BYTES) {
    console.error(`bundle budget exceeded by ${(total_gzip - BUDGET_BYTES).toLocaleString('en')} bytes: move work not needed at first paint to the tools worker`);
    process.exit(1);
  }
}
