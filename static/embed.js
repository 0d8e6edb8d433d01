// embed.js: the one script a tutorial page includes to get playgrounds.
//   <script type="module" src="https://…/playground/embed.js"></script>
// (a classic <script src> works too: mdBook's and MkDocs' `extra_javascript`).
//
// What becomes a playground (docs/embedding.md):
// - a fenced code block whose language is `async-playground`, as the
//   common site generators write it (the class on `code`, `pre` or a
//   wrapper `div`; mdBook, MkDocs with or without SuperFences, Hugo,
//   Jekyll/kramdown, Docusaurus, Sphinx/MyST, pandoc): its text is the
//   scenario. The block stays as it is until the playground has mounted
//   (then it is hidden), and stays if it cannot mount;
// - `<async-playground scenario='{…}' src="x.json" theme modes controls
//   editor autorun>`, with run() and stop() and a `result` event;
// - `<div data-async-playground data-scenario='{…}'>` (the older form;
//   data-theme, data-modes… work the same);
// - `<iframe src="…/index.html?embed…">`: sized to its content, told the
//   page's theme. Nothing else is loaded for an iframe.
// Each in-page playground renders in its own shadow root, with the app's
// stylesheet linked inside it, so neither page nor playground restyles the
// other. A page with no playground is left exactly as it is: nothing is
// fetched or changed.
//
// Loading: the app's files carry content hashes; index.html next to this
// script names them. If anything cannot load (404, CORS, the page's
// Content-Security-Policy), each playground says so in place, with the
// reason and a link to the full playground. Serve this file with a short
// cache lifetime; everything else may be cached for ever.
(() => {
  'use strict';
  const TAG = 'async-playground';
  if (!window.customElements || customElements.get(TAG)) return; // included twice

  const me = document.currentScript
    ?? [...document.querySelectorAll('script[src]')].reverse().find((s) => /\/embed\.js(?:[?#]|$)/.test(s.src));
  if (!me) {
    console.warn('async-playground: embed.js could not find its own <script> tag');
    return;
  }
  const base = new URL('./', me.src);
  const indexUrl = new URL('index.html', base);
  const sameOrigin = base.origin === location.origin;
  /** Page-wide defaults: data-theme, data-modes… on the script tag. */
  const defaults = { ...me.dataset };
  const OPTIONS = ['modes', 'controls', 'editor'];
  const RESULT = 'async-playground:result';
  const COMMAND = 'async-playground:command';

  // ---- Finding code blocks -------------------------------------------------
  // The class each generator puts on a fenced block's elements. mdBook,
  // MkDocs (fenced_code), Hugo and Docusaurus: `language-…` on code or pre
  // (Hugo also data-lang); Jekyll/kramdown and SuperFences: on a wrapper
  // div; Sphinx/MyST: `highlight-…` on its div; pandoc and SuperFences'
  // custom fences: the bare name.
  const LANG = 'async-playground';
  const BLOCK = [
    `.language-${LANG}`, `.lang-${LANG}`, `.highlight-${LANG}`, `.highlight-source-${LANG}`,
    `[data-lang="${LANG}"]`, `pre[lang="${LANG}"]`, `pre.${LANG}`, `code.${LANG}`, `div.${LANG}`,
  ].join(',');
  /** Line numbers and buttons some generators put inside the block. */
  const NOT_CODE = '.lineno, .linenos, .linenodiv, .rouge-gutter, .gutter, .lnt, .ln, td.lntd:first-child, button, .buttons';
  /** Wrappers around a single highlighted block (Hugo, codehilite, pandoc). */
  const WRAPPER = /(^|\s)(highlight|codehilite|sourceCode)(\s|$)/;

  /** The whole block around a matched element (`pre`, or its wrappers), or
   * null for inline code. */
  function blockOf(el) {
    let top = el;
    for (let n = el.parentElement; n; n = n.parentElement) if (n.matches(BLOCK)) top = n;
    if (top.localName === 'code') top = top.closest('pre');
    if (!top || (top.localName !== 'pre' && !top.querySelector('pre'))) return null;
    while (top.parentElement?.localName === 'div' && WRAPPER.test(top.parentElement.className)
      && top.parentElement.children.length === 1) top = top.parentElement;
    return top;
  }

  /** A block's code as text, without line numbers or buttons. */
  function codeText(block) {
    const copy = (block.querySelector('td.rouge-code, td.lntd:last-child, code') ?? block.querySelector('pre') ?? block).cloneNode(true);
    copy.querySelectorAll(NOT_CODE).forEach((n) => n.remove());
    return copy.textContent;
  }

  // ---- Theme ---------------------------------------------------------------
  const systemDark = matchMedia('(prefers-color-scheme: dark)');

  function rgba(text) {
    const m = /^rgba?\(([^)]+)\)$/.exec(text.trim());
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a].some(Number.isNaN) ? null : [r, g, b, a];
  }

  function luminance([r, g, b]) {
    const lin = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  }

  /** What `theme="auto"` resolves to for `host`: the page's background
   * behind it if it has one, else the page's declared color-scheme, else
   * the system's (for a page that supports both), else light (the
   * browser's own canvas). */
  function pageTheme(host) {
    for (let n = host; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      // Below 0.179, white text has more contrast than black.
      if (c && c[3] >= 0.5) return luminance(c) < 0.179 ? 'dark' : 'light';
    }
    const declared = [
      getComputedStyle(document.documentElement).colorScheme,
      document.querySelector('meta[name="color-scheme"]')?.content ?? '',
    ];
    for (const text of declared) {
      const schemes = text.split(/\s+/).filter((s) => s === 'light' || s === 'dark');
      if (schemes.length === 1) return schemes[0];
      if (schemes.length > 1) return systemDark.matches ? 'dark' : 'light';
    }
    return 'light';
  }

  function resolveTheme(host, wanted) {
    return wanted === 'light' || wanted === 'dark' ? wanted : pageTheme(host);
  }

  // ---- Loading the app (once, when the first playground needs it) ---------
  class Failure extends Error {}
  const violations = [];
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let app = null;

  /** Why loading `url` (a `what`) failed, in words. */
  async function explain(error, url, what) {
    if (error instanceof Failure) return error;
    await sleep(50); // CSP violation events arrive after the failure
    const blocked = violations.find((v) => v.blockedURI && url.href.startsWith(v.blockedURI))
      ?? violations.find((v) => v.blockedURI.startsWith(url.origin))
      ?? (what === 'WebAssembly' && violations.find((v) => /eval/.test(v.blockedURI)));
    const message = String(error?.message ?? error);
    if (blocked || /Content.Security.Policy|unsafe-eval/i.test(message)) {
      const directive = blocked?.effectiveDirective ?? 'script-src';
      const hint = what === 'WebAssembly' ? ": its script-src needs 'wasm-unsafe-eval'" : `: its ${directive} must allow ${url.origin}`;
      return new Failure(`this page's Content-Security-Policy (${directive}) blocks the playground's ${what}${hint}`);
    }
    if (!sameOrigin && error instanceof TypeError) {
      return new Failure(`${url.origin} does not let this page load the playground's ${what} (no CORS header Access-Control-Allow-Origin), or cannot be reached`);
    }
    return new Failure(`the playground's ${what} (${url.href}) could not be loaded: ${message}`);
  }

  async function fetchText(url, what) {
    let response;
    try {
      response = await fetch(url, { credentials: 'omit' });
    } catch (error) {
      throw await explain(error, url, what);
    }
    if (!response.ok) throw new Failure(`${url.href} answered ${response.status} ${response.statusText}`.trim());
    return response.text();
  }

  /** A worker loader for the app: the file next to it, or (the app on
   * another origin, where a page may not start workers directly) a blob
   * that imports it. If neither can start, the app runs to_thread on
   * timers and says so. */
  function loader(name) {
    if (sameOrigin) return new URL(`${name}_loader.js`, base).href;
    const js = JSON.stringify(new URL(`${name}.js`, base).href);
    const wasm = JSON.stringify(new URL(`${name}_bg.wasm`, base).href);
    const code = `importScripts(${js});wasm_bindgen({module_or_path:${wasm}}).catch((e)=>setTimeout(()=>{throw e;}));`;
    return URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  }

  async function loadApp() {
    const record = (e) => violations.push(e);
    document.addEventListener('securitypolicyviolation', record);
    try {
      const index = new DOMParser().parseFromString(await fetchText(indexUrl, 'index.html'), 'text/html');
      const boot = index.querySelector('script[data-trunk-boot]');
      const css = index.querySelector('link[rel="stylesheet"]');
      if (!boot || !css) throw new Failure(`${indexUrl.href} is not the playground's index.html`);
      const js = new URL(boot.dataset.js, indexUrl);
      const wasm = new URL(boot.dataset.wasm, indexUrl);
      let bindings;
      try {
        bindings = await import(js.href);
      } catch (error) {
        throw await explain(error, js, 'script');
      }
      try {
        await bindings.default({ module_or_path: wasm.href });
      } catch (error) {
        throw await explain(error, wasm, 'WebAssembly');
      }
      if (typeof bindings.mount !== 'function') throw new Failure('this build of the playground cannot be embedded');
      return { bindings, css: new URL(css.getAttribute('href'), indexUrl), worker: loader('worker'), tools: loader('tools') };
    } finally {
      setTimeout(() => document.removeEventListener('securitypolicyviolation', record), 1_000);
    }
  }

  // ---- One playground ------------------------------------------------------
  /** The shadow root's own few rules (a constructed sheet: no inline style,
   * so a strict CSP allows it) for the states before the app's stylesheet. */
  const frameSheet = (() => {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(`
        :host { display: block; margin: 1em 0; }
        :host([hidden]) { display: none; }
        slot { display: block; white-space: pre-wrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
        .ap-root:not(.ap-ready), .ap-probe { display: none; }
        .ap-probe { all: initial; font-size: medium; }
        .ap-failed { margin: 0.5em 0; padding: 0.6em 0.8em; border: 1px solid; border-radius: 6px; font: inherit; line-height: 1.5; }
        .ap-failed a { color: inherit; text-decoration: underline; }`);
      return sheet;
    } catch {
      return null;
    }
  })();

  /** Playgrounds by host element. */
  const spots = new Map();
  /** Code blocks already given a playground. */
  const handled = new WeakSet();

  /** An option of `host`: its attribute (`data-` on the older form), else the
   * scenario's own `"embed"` object, else the script tag's. */
  function option(spot, name) {
    const { host } = spot;
    const own = host.localName === TAG ? host.getAttribute(name) : host.getAttribute(`data-${name}`);
    return own ?? spot.embed?.[name] ?? defaults[name] ?? null;
  }

  /** Splits an `"embed": {…}` object (options for a fenced block, which has
   * no attributes) off the scenario JSON. */
  function splitEmbed(text) {
    if (!/"embed"\s*:/.test(text)) return { text, embed: null };
    try {
      const value = JSON.parse(text);
      if (!value || typeof value !== 'object' || Array.isArray(value) || typeof value.embed !== 'object') return { text, embed: null };
      const { embed, ...scenario } = value;
      return { text: JSON.stringify(scenario), embed };
    } catch {
      return { text, embed: null }; // the app reports what is wrong with it
    }
  }

  async function scenarioText(spot) {
    const { host } = spot;
    const attr = host.localName === TAG ? 'scenario' : 'data-scenario';
    if (host.hasAttribute(attr)) return host.getAttribute(attr);
    const src = host.getAttribute(host.localName === TAG ? 'src' : 'data-src');
    if (src) {
      const url = new URL(src, document.baseURI);
      try {
        return await fetchText(url, 'scenario file');
      } catch (error) {
        throw new Failure(`its scenario file could not be loaded: ${error.message}`);
      }
    }
    return host.sourceBlock ? codeText(host.sourceBlock) : host.textContent;
  }

  function fullLink(spot) {
    const text = spot.text?.trim();
    return indexUrl.href + (text ? `#j=${encodeURIComponent(text)}` : '');
  }

  function announce(spot, type, detail) {
    spot.host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  function fail(spot, error) {
    if (!spots.has(spot.host)) return;
    spot.state = 'failed';
    const reason = error instanceof Failure ? error.message : `it stopped with an error (${error?.message ?? error})`;
    console.warn(`async-playground: a playground could not load: ${reason}`);
    const box = document.createElement('p');
    box.className = 'ap-failed';
    box.setAttribute('role', 'alert');
    const link = document.createElement('a');
    link.href = fullLink(spot);
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = 'Open it in the full playground ↗';
    box.append(`This playground could not load: ${reason}. `, link);
    spot.shadow.querySelector('.ap-root')?.remove();
    spot.shadow.querySelector('link')?.remove();
    spot.shadow.prepend(box);
    announce(spot, 'async-playground:error', { reason });
  }

  function applyTheme(spot) {
    const root = spot.shadow.querySelector('.ap-root');
    if (root) root.dataset.theme = resolveTheme(spot.host, option(spot, 'theme'));
  }

  /** Sends a command (the iframe protocol's message) to a mounted
   * playground; earlier ones wait for the mount. */
  function command(host, message) {
    const spot = spots.get(host);
    if (!spot) return;
    if (spot.state !== 'ready') {
      spot.pending.push(message);
      return;
    }
    spot.mount.dispatchEvent(new CustomEvent(COMMAND, { detail: JSON.stringify(message) }));
  }

  function autorun(spot) {
    const go = () => command(spot.host, { type: 'async-playground:run', v: 1 });
    if (!('IntersectionObserver' in window)) return go();
    // Once it reaches the upper three quarters of the screen: a run
    // off-screen is throttled, and a reader should see it start.
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        go();
      }
    }, { rootMargin: '0px 0px -25% 0px' });
    seen.observe(spot.host);
    spot.unobserve = () => seen.disconnect();
  }

  async function start(host) {
    if (spots.has(host) || !host.isConnected) return;
    let shadow;
    try {
      shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    } catch {
      // An element that cannot host a shadow root (a <pre>, say): the
      // playground goes before it, and it is treated like a code block.
      const element = document.createElement(TAG);
      for (const name of ['scenario', 'src', 'theme', 'autorun', ...OPTIONS]) {
        const value = host.getAttribute(`data-${name}`);
        if (value !== null) element.setAttribute(name, value);
      }
      element.sourceBlock = host;
      handled.add(host);
      host.before(element);
      return;
    }
    const spot = { host, shadow, state: 'loading', pending: [], text: null, embed: null };
    spots.set(host, spot);
    if (frameSheet) shadow.adoptedStyleSheets = [frameSheet];
    // Until it mounts, the element's own content shows (JSON, readable).
    shadow.replaceChildren(document.createElement('slot'));
    try {
      ({ text: spot.text, embed: spot.embed } = splitEmbed(await scenarioText(spot)));
      app ??= loadApp();
      const { bindings, css, worker, tools } = await app;
      if (!spots.has(host)) return;
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = css.href;
      const root = document.createElement('div');
      root.className = 'ap-root';
      root.setAttribute('part', 'playground');
      spot.mount = document.createElement('div');
      spot.mount.className = 'ap-mount';
      root.append(spot.mount);
      const probe = document.createElement('span');
      probe.className = 'ap-probe';
      shadow.append(link, root, probe);
      await new Promise((resolve, reject) => {
        link.addEventListener('load', resolve, { once: true });
        link.addEventListener('error', () => explain(new Error('blocked or missing'), css, 'stylesheet').then(reject), { once: true });
      });
      // rem inside a shadow root is the page's: the app's sizes use the
      // reader's default font size instead.
      root.style.setProperty('--rem', getComputedStyle(probe).fontSize);
      probe.remove();
      applyTheme(spot);
      const params = new URLSearchParams();
      for (const name of OPTIONS) {
        const value = option(spot, name);
        if (value != null) params.set(name, String(value));
      }
      spot.mount.addEventListener(RESULT, (e) => {
        e.stopPropagation();
        host.dispatchEvent(new CustomEvent('result', { detail: e.detail }));
        announce(spot, RESULT, e.detail);
      });
      if (!spots.has(host)) return;
      spot.destroy = bindings.mount(spot.mount, spot.text ?? '', params.toString(), base.href, worker, tools);
      spot.state = 'ready';
      root.classList.add('ap-ready');
      shadow.querySelector('slot')?.remove();
      host.sourceBlock?.style.setProperty('display', 'none', 'important');
      announce(spot, 'async-playground:ready', null);
      // The app listens once its first render's effects ran.
      await sleep(0);
      for (const message of spot.pending.splice(0)) command(host, message);
      const run = option(spot, 'autorun');
      if (run !== null && run !== 'false') autorun(spot);
    } catch (error) {
      fail(spot, error);
    }
  }

  function stop(host) {
    const spot = spots.get(host);
    if (!spot) return;
    spots.delete(host);
    spot.unobserve?.();
    try {
      spot.destroy?.();
    } catch {
      // The app is gone already.
    }
    host.sourceBlock?.style.removeProperty('display');
  }

  class AsyncPlayground extends HTMLElement {
    static get observedAttributes() {
      return ['scenario', 'theme'];
    }

    connectedCallback() {
      // Parsed children (the scenario as text) come after this call.
      whenParsed(() => start(this));
    }

    disconnectedCallback() {
      // Moved, not removed: connected again before the microtask.
      queueMicrotask(() => this.isConnected || stop(this));
    }

    attributeChangedCallback(name, before, now) {
      const spot = spots.get(this);
      if (!spot || before === now || spot.state !== 'ready') return;
      if (name === 'theme') applyTheme(spot);
      else if (now !== null) command(this, { type: 'async-playground:load', v: 1, scenario: splitEmbed(now).text });
    }

    /** Runs the tasks (in `mode`, a mode slug, or the one selected). */
    run(mode) {
      command(this, mode ? { type: 'async-playground:run', v: 1, mode } : { type: 'async-playground:run', v: 1 });
    }

    stop() {
      command(this, { type: 'async-playground:stop', v: 1 });
    }
  }

  // ---- iframes -------------------------------------------------------------
  const frames = new Set();

  function isFrame(frame) {
    try {
      const url = new URL(frame.getAttribute('src') ?? '', document.baseURI);
      return url.href.startsWith(base.href) && url.searchParams.has('embed');
    } catch {
      return false;
    }
  }

  function frameTheme(frame) {
    const fixed = new URL(frame.src).searchParams.get('theme');
    if (fixed === 'light' || fixed === 'dark') return;
    frame.contentWindow?.postMessage({ type: 'async-playground:theme', v: 1, theme: pageTheme(frame) }, base.origin);
  }

  function watchFrame(frame) {
    if (frames.has(frame)) return;
    if (frames.size === 0) {
      addEventListener('message', (e) => {
        if (e.origin !== base.origin || e.data?.type !== 'async-playground:height' || e.data.v !== 1) return;
        const height = Number(e.data.height);
        for (const f of frames) {
          if (f.contentWindow === e.source && Number.isFinite(height) && height > 0) f.height = String(Math.min(Math.ceil(height), 20_000));
        }
      });
    }
    frames.add(frame);
    if (frame.hasAttribute('data-async-playground-frame')) {
      if (!frame.style.border) frame.style.border = '0';
      if (!frame.style.width && !frame.hasAttribute('width')) frame.style.width = '100%';
    }
    frame.addEventListener('load', () => frameTheme(frame));
    frameTheme(frame);
  }

  // ---- The page ------------------------------------------------------------
  function whenParsed(then) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', then, { once: true });
    else then();
  }

  function scan() {
    for (const el of document.querySelectorAll('[data-async-playground]')) {
      if (el.localName !== 'iframe' && !handled.has(el)) start(el);
    }
    for (const el of document.querySelectorAll(BLOCK)) {
      const block = blockOf(el);
      if (!block || handled.has(block) || block.closest(`${TAG}, [data-async-playground]`)) continue;
      handled.add(block);
      const host = document.createElement(TAG);
      host.sourceBlock = block;
      block.before(host);
    }
    for (const frame of document.querySelectorAll('iframe[src]')) if (isFrame(frame)) watchFrame(frame);
    // Older-form playgrounds a page took away (custom elements see to themselves).
    for (const host of spots.keys()) if (!host.isConnected && host.localName !== TAG) stop(host);
  }

  function themesChanged() {
    for (const spot of spots.values()) applyTheme(spot);
    frames.forEach(frameTheme);
  }

  customElements.define(TAG, AsyncPlayground);
  whenParsed(() => {
    scan();
    // Pages that add content later (single-page sites, client-side routing).
    let pending = null;
    new MutationObserver(() => {
      pending ??= setTimeout(() => {
        pending = null;
        scan();
      }, 50);
    }).observe(document.documentElement, { childList: true, subtree: true });
    // Theme switches: the system's, or the page's own (a class or attribute
    // on <html> or <body>).
    systemDark.addEventListener('change', themesChanged);
    const switches = new MutationObserver(themesChanged);
    switches.observe(document.documentElement, { attributes: true });
    if (document.body) switches.observe(document.body, { attributes: true });
  });
})();
