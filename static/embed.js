// The one script a tutorial page includes to turn its
// <div data-async-playground> elements into playgrounds:
//   <script type="module" src="https://…/playground/embed.js"></script>
// Its name never changes. The app's own files carry content hashes (so they
// can be cached for ever), and index.html next to this script names them:
// read it, add the app's stylesheet, then start the app, which mounts every
// [data-async-playground] element on the page. Serve this file with a short
// cache lifetime; everything else may be cached.
const here = new URL('./', import.meta.url);
const indexUrl = new URL('index.html', here);
// The app finds its worker files (and links back to itself) from here.
document.documentElement.dataset.asyncPlaygroundBase = here.href;

const index = new DOMParser().parseFromString(await (await fetch(indexUrl)).text(), 'text/html');
const boot = index.querySelector('script[data-trunk-boot]');
const css = index.querySelector('link[rel="stylesheet"]');
if (css && !document.querySelector('link[data-async-playground-css]')) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL(css.getAttribute('href'), indexUrl).href;
  link.dataset.asyncPlaygroundCss = '';
  document.head.prepend(link); // first, so the page's own rules win
}
const bindings = await import(new URL(boot.dataset.js, indexUrl).href);
await bindings.default({ module_or_path: new URL(boot.dataset.wasm, indexUrl).href });
