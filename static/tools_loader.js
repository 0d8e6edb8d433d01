// Loads the tools worker's wasm (program and file writers) inside a classic
// Web Worker (trunk builds tools.js and tools_bg.wasm from src/bin/tools.rs).
importScripts('./tools.js');
wasm_bindgen({ module_or_path: './tools_bg.wasm' });
