// Loads the tools worker's wasm (program and file writers) inside a classic
// Web Worker (trunk builds tools.js and tools_bg.wasm from src/bin/tools.rs).
// A wasm that cannot load is rethrown as an uncaught error, so the page's
// waiting jobs get their error at once instead of at the load deadline.
importScripts('./tools.js');
wasm_bindgen({ module_or_path: './tools_bg.wasm' }).catch((e) => setTimeout(() => { throw e; }));
