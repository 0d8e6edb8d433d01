// Starts the app from an external module script, so the page's
// Content-Security-Policy can forbid inline script. Trunk fills in the
// data-js / data-wasm attributes of this tag (Trunk.toml: pattern_script).
const tag = document.querySelector('script[data-trunk-boot]');
const bindings = await import(tag.dataset.js);
await bindings.default({ module_or_path: tag.dataset.wasm });
