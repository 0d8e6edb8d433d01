// Starts the app page from an external module script, so the page's
// Content-Security-Policy can forbid inline script. Trunk fills in the
// data-js / data-wasm attributes of this tag (Trunk.toml: pattern_script).
//
// `?theme=light|dark` (an iframe embed's link) fixes the theme; the page
// around an iframe may also send its own (embed.js does, for
// theme=auto): { type: "async-playground:theme", v: 1, theme }.
const root = document.documentElement;
const setTheme = (theme) => {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
};
const fixed = new URLSearchParams(location.search).get('theme');
setTheme(fixed);
if (fixed !== 'light' && fixed !== 'dark' && window.parent !== window) {
  addEventListener('message', (e) => {
    if (e.source === window.parent && e.data?.type === 'async-playground:theme' && e.data.v === 1) setTheme(e.data.theme);
  });
}
const tag = document.querySelector('script[data-trunk-boot]');
const bindings = await import(tag.dataset.js);
await bindings.default({ module_or_path: tag.dataset.wasm });
bindings.start_app();
