// Loads the pool thread's wasm inside a classic Web Worker (trunk builds
// worker.js and worker_bg.wasm from src/bin/worker.rs). A wasm that cannot
// load is rethrown as an uncaught error, so the page's `error` handler
// hands this thread's jobs to timers at once instead of waiting for
// "ready" until its deadline.
importScripts('./worker.js');
wasm_bindgen({ module_or_path: './worker_bg.wasm' }).catch((e) => setTimeout(() => { throw e; }));
