// Embedding where tutorials are written (issue 15), in real Chromium:
// - tutorial sites built by real generators (mdBook, MkDocs with and without
//   SuperFences, Hugo, Jekyll, Sphinx/MyST) from e2e/sites/*, plus fixture
//   markup for Docusaurus, a plain HTML page and an iframe: each fenced
//   `async-playground` block becomes a playground that runs, light and
//   dark (screenshots e2e/out/site-*.png);
// - the <async-playground> element: attributes, run()/stop(), the result
//   event, style isolation both ways, axe-core contrast in host × system
//   light/dark;
// - a page without a playground is left alone;
// - failures (CORS, 404, CSP, workers refused) are said in place;
// - Share's snippets, pasted into pages, give the same playground.
//
// The sites load embed.js from https://example.org/playground/ in
// e2e/sites (as docs/embedding.md shows them); the tests put the served
// playground's address there. A generator that is not installed skips its
// test, unless E2E_REQUIRE_GENERATORS=1 (make test sets it: `make setup-docs`
// installs them). Imported by e2e.mjs; `node --test embedding.mjs` runs
// only these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { dist, env, out, watch, withTimeout, eventually, countIs, textMatches, textIs } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SITES = join(here, 'sites');
const DOCS = join(here, '..', 'docs', 'embedding.md');
/** Where e2e/sites and docs/embedding.md say the playground is. */
const PLACEHOLDER = 'https://example.org/playground/';
const REQUIRE = process.env.E2E_REQUIRE_GENERATORS === '1';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** A run of these scenarios takes about a second; a busy machine more. */
const RUN_MS = 30_000;

// ---- Serving and building ---------------------------------------------------

/** A folder served at its own origin, with dist/ under /playground/. */
async function stage(t, { headers, playground = true } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'ap-site-'));
  if (playground) cpSync(dist, join(root, 'playground'), { recursive: true });
  const server = await serveDist(root, { headers });
  t.after(() => server.close());
  return { root, url: server.url, playground: `${server.url}playground/` };
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** A copy of e2e/sites/`name` that loads the playground from `playground`. */
function sources(name, playground) {
  const dir = mkdtempSync(join(tmpdir(), `ap-src-${name}-`));
  cpSync(join(SITES, name), dir, { recursive: true });
  for (const file of files(dir)) {
    const text = readFileSync(file, 'utf8');
    if (text.includes(PLACEHOLDER)) writeFileSync(file, text.replaceAll(PLACEHOLDER, playground));
  }
  return dir;
}

/** The path of an installed command, or null. */
function which(command) {
  const venv = join(here, '..', '.venv', 'bin');
  const cargo = join(process.env.CARGO_HOME ?? join(process.env.HOME ?? '', '.cargo'), 'bin');
  for (const dir of [venv, ...(process.env.PATH ?? '').split(delimiter), cargo]) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return null;
}

function run(command, args, cwd) {
  execFileSync(which(command), args, { cwd, stdio: 'pipe', timeout: 180_000 });
}

/** Skips (or, under `make test`, fails) a test whose tool is missing. */
function needs(t, command) {
  if (which(command)) return true;
  if (REQUIRE) assert.fail(`${command} is not installed: run make setup-docs`);
  t.skip(`${command} is not installed (make setup-docs installs it)`);
  return false;
}

// ---- Pages -------------------------------------------------------------------

/** A new page at `url`: its console errors and CSP violations collected. */
async function visit(t, url, { dark = false, width = 1280, height = 900 } = {}) {
  const page = await env.context.newPage();
  t.after(() => withTimeout(page.close(), 10_000, 'closing the page').catch(() => {}));
  page.errors = [];
  watch(page, page.errors);
  await page.addInitScript(() => {
    window.__csp = [];
    addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  await page.goto(url);
  return page;
}

/** The page's errors that are the playground's (a site's own scripts may
 * log theirs: mdBook's highlighter warns about a language it lacks). */
function ourErrors(page) {
  return page.errors.filter((e) => /playground|panicked|wasm|RuntimeError|unreachable/i.test(e));
}

/** Waits until playground `host` (a locator) has mounted; returns it. */
async function mounted(host) {
  await host.locator('#run').waitFor({ timeout: 20_000 });
  return host;
}

/** The theme `host`'s playground shows, once it is `expected`. */
function themeIs(host, expected) {
  return eventually(async () => assert.equal(
    await host.evaluate((el) => el.shadowRoot?.querySelector('.ap-root')?.dataset.theme), expected));
}

/** Collects the `result` events of playground `host` in `el.__results`. */
function collect(host) {
  return host.evaluate((el) => {
    el.__results ??= [];
    if (!el.__listening) el.addEventListener('result', (e) => el.__results.push(e.detail));
    el.__listening = true;
  });
}

/** Waits for `host`'s `n`-th result (1-based); returns it. */
function resultNumber(host, n, timeout = RUN_MS) {
  return eventually(async () => {
    const results = await host.evaluate((el) => el.__results ?? []);
    assert.ok(results.length >= n, `${results.length} results, waiting for ${n}`);
    return results[n - 1];
  }, { timeout });
}

/** Clicks `host`'s Run and waits for that run's result. */
async function runIt(host) {
  await collect(host);
  const before = (await host.evaluate((el) => el.__results.length));
  await host.locator('#run').click();
  return resultNumber(host, before + 1);
}

/** Runs axe-core's colour-contrast rule over `selectors` (playground hosts;
 * axe looks into their shadow roots). */
async function contrastFailures(page, selectors) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (selectors) => {
    const result = await window.axe.run({ include: selectors.map((s) => [s]) }, { runOnly: ['color-contrast'], resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' > ')}: ${n.any.map((a) => a.message).join('; ')}`));
  }, selectors);
}

// ---- Generators ----------------------------------------------------------------

/** Each generator: how it builds e2e/sites/<src> into a folder, its two
 * lesson pages, and whether the page itself turns dark with the system. */
const GENERATORS = [
  {
    name: 'mdBook', slug: 'mdbook', src: 'mdbook', tool: 'mdbook',
    build: (src, dest) => run('mdbook', ['build', '-d', dest], src),
    pages: ['sequential.html', 'gather.html'], darkWithSystem: true,
  },
  {
    name: 'MkDocs', slug: 'mkdocs', src: 'mkdocs', tool: 'mkdocs',
    build: (src, dest) => run('mkdocs', ['build', '-q', '-d', dest], src),
    pages: ['index.html', 'gather/index.html'], darkWithSystem: true,
  },
  {
    name: 'MkDocs with SuperFences', slug: 'mkdocs-superfences', src: 'mkdocs', tool: 'mkdocs',
    build: (src, dest) => run('mkdocs', ['build', '-q', '-f', 'mkdocs-superfences.yml', '-d', dest], src),
    pages: ['index.html', 'gather/index.html'], darkWithSystem: true,
  },
  {
    name: 'Hugo', slug: 'hugo', src: 'hugo', tool: 'hugo',
    build: (src, dest) => run('hugo', ['--quiet', '-d', dest], src),
    pages: ['index.html', 'gather/index.html'], darkWithSystem: false,
  },
  {
    name: 'Jekyll', slug: 'jekyll', src: 'jekyll', tool: 'jekyll',
    build: (src, dest) => run('jekyll', ['build', '-q', '-s', src, '-d', dest], src),
    pages: ['index.html', 'gather.html'], darkWithSystem: false,
  },
  {
    name: 'Sphinx/MyST', slug: 'sphinx', src: 'sphinx', tool: 'sphinx-build',
    build: (src, dest) => run('sphinx-build', ['-q', '-b', 'html', src, dest], src),
    pages: ['index.html', 'gather.html'], darkWithSystem: false,
  },
  {
    // Fixture: Docusaurus's server-rendered markup (no Node site build here).
    name: 'Docusaurus (fixture markup)', slug: 'docusaurus', src: 'docusaurus', tool: null,
    build: (src, dest) => cpSync(src, dest, { recursive: true }),
    pages: ['index.html', 'gather.html'], darkWithSystem: true,
  },
];

for (const g of GENERATORS) {
  test(`${g.name}: a two-page site's fenced async-playground blocks run as playgrounds, light and dark`, { timeout: 240_000 }, async (t) => {
    if (g.tool && !needs(t, g.tool)) return;
    const s = await stage(t);
    const src = sources(g.src, s.playground);
    const dest = join(s.root, 'site');
    g.build(src, dest);
    for (const [i, name] of g.pages.entries()) {
      for (const dark of [false, true]) {
        const page = await visit(t, `${s.url}site/${name}`, { dark });
        const hosts = page.locator('async-playground');
        await countIs(hosts, 1, { timeout: 20_000, message: `${name}: one playground` });
        const host = await mounted(hosts.first());
        // The block it came from is hidden now (it showed until this point).
        await eventually(async () => assert.equal(await host.evaluate((el) => getComputedStyle(el.sourceBlock).display), 'none'));
        await themeIs(host, dark && g.darkWithSystem ? 'dark' : 'light');
        const result = await runIt(host);
        assert.equal(result.mode, i === 0 ? 'sequential' : 'gathered');
        assert.deepEqual(result.tasks.map((x) => x.label), ['fetch user', 'fetch orders', 'fetch prices']);
        assert.ok(result.tasks.every((x) => x.outcome === 'ok'));
        if (i === 1) {
          // The block's "embed" options: two modes, minimal controls.
          await countIs(host.locator('#mode-select option'), 2);
          await countIs(host.locator('#run-all'), 0);
          await countIs(host.locator('#opt-pool'), 0);
        }
        await page.screenshot({ path: join(out, `site-${g.slug}-${i + 1}-${dark ? 'dark' : 'light'}.png`), fullPage: true });
        assert.deepEqual(ourErrors(page), [], `${name}: errors`);
        assert.deepEqual(await page.evaluate(() => window.__csp), []);
        await page.close();
      }
    }
    if (g.slug === 'mdbook') {
      // mdBook's print page holds both chapters: two playgrounds, both mount.
      const page = await visit(t, `${s.url}site/print.html`);
      await countIs(page.locator('async-playground'), 2, { timeout: 20_000 });
      await mounted(page.locator('async-playground').nth(1));
      await page.close();
    }
  });
}

// ---- The element -------------------------------------------------------------

/** The plain-HTML fixture, served with the playground. */
async function plainPage(t, options) {
  const s = await stage(t);
  cpSync(sources('plain', s.playground), join(s.root, 'site'), { recursive: true });
  const page = await visit(t, `${s.url}site/index.html`, options);
  const [element, fromFile, older] = ['#element', '#from-file', '#older'].map((id) => page.locator(id));
  for (const host of [element, fromFile, older]) await mounted(host);
  return { s, page, element, fromFile, older };
}

test('<async-playground>: scenario and src attributes, a trimmed UI, run(), stop(), the result event; data-async-playground still works', { timeout: 180_000 }, async (t) => {
  const { page, element, fromFile, older } = await plainPage(t);
  await textIs(element.locator('.embed-title'), 'Awaited one by one');
  await textIs(fromFile.locator('.embed-title'), 'Gathered, from a file');
  await textIs(older.locator('.embed-title'), 'The older form');
  // Everything in the full element; the trimmed one offers two modes, no
  // Compare all, no thread controls (no task needs them), the editor open.
  await countIs(element.locator('#mode-select option'), 7);
  await countIs(element.locator('#opt-pool'), 1);
  await countIs(element.locator('details.editor-panel[open]'), 0);
  await countIs(fromFile.locator('#mode-select option'), 2);
  await countIs(fromFile.locator('#run-all'), 0);
  await countIs(fromFile.locator('#run-compare'), 1);
  await countIs(fromFile.locator('#opt-pool'), 0);
  await countIs(fromFile.locator('#opt-gil'), 0);
  await countIs(fromFile.locator('details.editor-panel[open]'), 1);
  // A task that runs in a thread brings the thread controls back.
  await fromFile.locator('.task-kind >> nth=0').selectOption('thread-cpu');
  await countIs(fromFile.locator('#opt-pool'), 1);

  // run() in the selected mode, then in another; `result` each time.
  await collect(element);
  await element.evaluate((el) => el.run());
  assert.equal((await resultNumber(element, 1)).mode, 'sequential');
  await element.evaluate((el) => el.run('gathered'));
  const gathered = await resultNumber(element, 2);
  assert.equal(gathered.mode, 'gathered');
  assert.ok(gathered.wall_ms >= 400 && gathered.wall_ms < 3_000, `wall ${gathered.wall_ms}`);
  // A new scenario attribute loads; stop() ends a long run.
  await element.evaluate((el) => el.setAttribute('scenario', '{"v": 1, "title": "Long", "tasks": [{"label": "slow", "ms": 20000}]}'));
  await textIs(element.locator('.embed-title'), 'Long');
  await element.evaluate((el) => el.run());
  await element.locator('.timeline[data-status=running]').waitFor();
  await element.evaluate((el) => el.stop());
  const stopped = await resultNumber(element, 3);
  assert.equal(stopped.stopped, true);

  // The older form: a bubbling async-playground:result from its element.
  const seen = page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('async-playground:result', (e) => e.target.id === 'older' && resolve(e.detail));
  }));
  await older.locator('#run').click();
  assert.equal((await withTimeout(seen, RUN_MS, 'the older form\'s result')).mode, 'gathered');

  // Added later, with autorun: it runs on its own once on screen.
  await page.evaluate(() => {
    const el = document.createElement('async-playground');
    el.id = 'later';
    el.setAttribute('scenario', '{"v": 1, "title": "Added later", "tasks": [{"ms": 50}]}');
    el.setAttribute('autorun', '');
    el.addEventListener('result', (e) => { el.__results = [e.detail]; });
    document.body.append(el);
  });
  const later = await mounted(page.locator('#later'));
  // Not on screen yet: it waits.
  await page.waitForTimeout(500);
  assert.equal(await later.evaluate((el) => el.__results), undefined);
  await later.evaluate((el) => el.scrollIntoView());
  await resultNumber(later, 1);
  // Removed: it stops and unmounts without an error.
  await page.evaluate(() => document.getElementById('later').remove());
  await page.screenshot({ path: join(out, 'element-plain.png'), fullPage: true });
  assert.deepEqual(ourErrors(page), []);
  // The page's CSP forbids inline style and script: nothing was refused.
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
});

test('<async-playground>: the page\'s styles do not reach in, and the playground\'s do not leak out (light and dark)', { timeout: 120_000 }, async (t) => {
  const { page, element } = await plainPage(t);
  await runIt(element);
  for (const hostDark of [false, true]) {
    await page.evaluate((dark) => document.documentElement.classList.toggle('dark', dark), hostDark);
    await themeIs(element, hostDark ? 'dark' : 'light');
    // The timeline repainted in the theme's colours: its labels are drawn
    // in this theme's --tl-text, none in the other's.
    const [ink, stale] = hostDark ? [[230, 237, 243], [27, 31, 36]] : [[27, 31, 36], null];
    await eventually(async () => {
      const [inked, left] = await element.evaluate((el, colours) => {
        const canvas = el.shadowRoot.querySelector('.timeline canvas.layer-back');
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        const near = (i, c) => c && Math.abs(data[i] - c[0]) + Math.abs(data[i + 1] - c[1]) + Math.abs(data[i + 2] - c[2]) < 30;
        const counts = [0, 0];
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] < 200) continue;
          colours.forEach((c, k) => { if (near(i, c)) counts[k]++; });
        }
        return counts;
      }, [ink, stale]);
      assert.ok(inked > 50 && left === 0, `${inked} pixels of label ink, ${left} of the other theme's`);
    });
    const inside = await element.evaluate((el) => {
      const s = el.shadowRoot;
      const css = (sel, prop) => getComputedStyle(s.querySelector(sel))[prop];
      const root = getComputedStyle(s.querySelector('.ap-root'));
      return {
        titleFont: css('.embed-title', 'fontFamily'),
        titleColor: css('.embed-title', 'color'),
        titleCase: css('.embed-title', 'textTransform'),
        text: root.getPropertyValue('--text').trim(),
        cell: css('.results-table td', 'borderTopWidth'),
        run: css('#run', 'backgroundColor'),
        letterSpacing: css('.hint', 'letterSpacing'),
        fontSize: root.fontSize,
      };
    });
    assert.doesNotMatch(inside.titleFont, /Georgia/);
    assert.equal(inside.titleCase, 'none');
    assert.equal(inside.titleColor, hostDark ? 'rgb(230, 237, 243)' : 'rgb(27, 31, 36)');
    assert.equal(inside.cell, '0px');
    assert.notEqual(inside.run, 'rgb(255, 105, 180)');
    assert.equal(inside.letterSpacing, 'normal');
    assert.equal(inside.fontSize, '15px');
    const outside = await page.evaluate(() => {
      const css = (id, prop) => getComputedStyle(document.getElementById(id))[prop];
      return {
        button: css('host-button', 'backgroundColor'),
        buttonRadius: css('host-button', 'borderTopLeftRadius'),
        panelBorder: css('host-panel', 'borderTopWidth'),
        panelBackground: css('host-panel', 'backgroundColor'),
        heading: getComputedStyle(document.querySelector('h2')).color,
        bodyFont: getComputedStyle(document.body).fontFamily,
      };
    });
    assert.deepEqual(outside, {
      button: 'rgb(255, 105, 180)',
      buttonRadius: '0px',
      panelBorder: '0px',
      panelBackground: 'rgba(0, 0, 0, 0)',
      heading: hostDark ? 'rgb(244, 164, 96)' : 'rgb(139, 69, 19)',
      bodyFont: 'Georgia, "Times New Roman", serif',
    });
    await page.screenshot({ path: join(out, `element-isolation-${hostDark ? 'dark' : 'light'}.png`), fullPage: true });
  }
});

test('themes: zero axe-core AA contrast failures for host light/dark × system light/dark; theme= overrides', { timeout: 240_000 }, async (t) => {
  for (const systemDark of [false, true]) {
    const { page, element, fromFile, older } = await plainPage(t, { dark: systemDark });
    await runIt(element);
    await runIt(fromFile);
    for (const hostDark of [false, true]) {
      await page.evaluate((dark) => document.documentElement.classList.toggle('dark', dark), hostDark);
      // auto follows the page, whatever the system says.
      for (const host of [element, fromFile, older]) await themeIs(host, hostDark ? 'dark' : 'light');
      const failures = await contrastFailures(page, ['#element', '#from-file', '#older']);
      const combo = `host-${hostDark ? 'dark' : 'light'}-system-${systemDark ? 'dark' : 'light'}`;
      await page.screenshot({ path: join(out, `element-contrast-${combo}.png`), fullPage: true });
      assert.deepEqual(failures, [], `${combo}: ${failures.length} contrast failures`);
    }
    // An explicit theme wins over the page's.
    await element.evaluate((el) => el.setAttribute('theme', 'light'));
    await themeIs(element, 'light');
    await element.evaluate((el) => el.setAttribute('theme', 'dark'));
    await themeIs(element, 'dark');
    assert.deepEqual(await contrastFailures(page, ['#element']), []);
    await page.close();
  }
});

test('a page that includes embed.js but has no playground is left exactly as it is', async (t) => {
  const s = await stage(t);
  cpSync(sources('plain', s.playground), join(s.root, 'site'), { recursive: true });
  const page = await env.context.newPage();
  t.after(() => page.close().catch(() => {}));
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => {
    window.__parsed = document.documentElement.outerHTML;
  }, { once: true }));
  await page.goto(`${s.url}site/none.html`);
  await page.waitForFunction(() => customElements.get('async-playground'));
  // Nothing to wait for but time: well past what loading the app takes.
  await page.waitForTimeout(1_500);
  const now = await page.evaluate(() => ({ html: document.documentElement.outerHTML, parsed: window.__parsed }));
  assert.equal(now.html, now.parsed);
  assert.deepEqual(requests.filter((p) => /index\.html|\.wasm|\.css$/.test(p) && p.startsWith('/playground/')), []);
  const ours = requests.filter((p) => p.startsWith('/playground/'));
  assert.ok(ours.length > 0 && ours.every((p) => p === '/playground/embed.js'), `requests: ${ours}`);
});

test('an iframe from Share sizes itself through embed.js, takes its options from the link and the page\'s theme', { timeout: 120_000 }, async (t) => {
  const s = await stage(t);
  cpSync(sources('plain', s.playground), join(s.root, 'site'), { recursive: true });
  const page = await visit(t, `${s.url}site/iframe.html`);
  const frame = page.frameLocator('iframe');
  await frame.locator('#run').waitFor({ timeout: 20_000 });
  await countIs(frame.locator('#mode-select option'), 2);
  await countIs(frame.locator('details.editor-panel[open]'), 1);
  // The thread task needs the thread controls, minimal or not.
  await countIs(frame.locator('#opt-pool'), 1);
  // Sized to its content, no scrollbar.
  await page.waitForFunction(() => {
    const f = document.querySelector('iframe');
    const app = f.contentDocument.querySelector('.app');
    return app && Math.abs(Number(f.height) - app.getBoundingClientRect().height) <= 2;
  }, null, { timeout: 10_000 });
  assert.equal(await page.$eval('iframe', (f) => getComputedStyle(f).borderTopWidth), '0px');
  // The page's theme reaches the frame.
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  await eventually(async () => assert.equal(await frame.locator('html').getAttribute('data-theme'), 'dark'));
  await frame.locator('#run').click();
  await frame.locator('.timeline[data-status=finished]').waitFor({ timeout: RUN_MS });
  await page.screenshot({ path: join(out, 'site-iframe-dark.png'), fullPage: true });
  assert.deepEqual(ourErrors(page), []);
});

// ---- Failures ------------------------------------------------------------------

/** A page on its own origin with a fenced block, loading embed.js from
 * `embedUrl`, with an optional CSP. */
async function blockPage(t, embedUrl, { csp, scenario } = {}) {
  const s = await stage(t, { playground: false });
  const json = scenario ?? '{"v": 1, "title": "Blocked?", "tasks": [{"label": "fetch", "ms": 300}]}';
  writeFileSync(join(s.root, 'lesson.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lesson</title>
${csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : ''}
<script defer src="${embedUrl}"></script></head><body><h1>A lesson</h1>
<pre><code class="language-async-playground">${json.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</code></pre></body></html>`);
  const page = await visit(t, `${s.url}lesson.html`);
  return { s, page, host: page.locator('async-playground') };
}

/** Waits for the in-place failure message; checks the block stayed and the
 * link goes to the full playground with the scenario. */
async function failsWith(page, host, re, app) {
  const text = await textMatches(host.locator('.ap-failed'), re, { timeout: 20_000 });
  assert.match(text, /^This playground could not load: /);
  const href = await host.locator('.ap-failed a').getAttribute('href');
  assert.ok(href.startsWith(`${app}index.html#j=`), href);
  assert.match(decodeURIComponent(href.split('#j=')[1]), /"Blocked\?"/);
  assert.notEqual(await page.$eval('pre', (pre) => getComputedStyle(pre).display), 'none');
  return text;
}

test('cannot load: the playground on another origin without CORS says so in place; the block stays', async (t) => {
  const app = await stage(t);
  const { page, host } = await blockPage(t, `${app.playground}embed.js`);
  await failsWith(page, host, /CORS/, app.playground);
  await page.screenshot({ path: join(out, 'failure-cors.png'), fullPage: true });
});

test('cannot load: a missing index.html (404) says so in place', async (t) => {
  const s = await stage(t, { playground: false });
  mkdirSync(join(s.root, 'gone'));
  cpSync(join(dist, 'embed.js'), join(s.root, 'gone', 'embed.js'));
  writeFileSync(join(s.root, 'lesson.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>404</title>
<script defer src="gone/embed.js"></script></head><body>
<pre><code class="language-async-playground">{"v": 1, "title": "Blocked?", "tasks": [{"ms": 300}]}</code></pre></body></html>`);
  const page = await visit(t, `${s.url}lesson.html`);
  await failsWith(page, page.locator('async-playground'), /index\.html answered 404/, `${s.url}gone/`);
});

test('cannot load: a page CSP without wasm-unsafe-eval says so in place', async (t) => {
  const s = await stage(t);
  writeFileSync(join(s.root, 'csp.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>csp</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'">
<script defer src="playground/embed.js"></script></head><body>
<pre><code class="language-async-playground">{"v": 1, "title": "Blocked?", "tasks": [{"ms": 300}]}</code></pre></body></html>`);
  const page = await visit(t, `${s.url}csp.html`);
  await failsWith(page, page.locator('async-playground'), /Content-Security-Policy.*wasm-unsafe-eval/, s.playground);
});

const THREAD_SCENARIO = '{"v": 1, "title": "Blocked?", "options": {"gil": false}, "tasks": [{"label": "fetch", "ms": 300}, {"label": "hash", "ms": 300, "kind": "thread-cpu"}]}';

test('another origin with CORS: it runs, and to_thread runs in a real worker', { timeout: 120_000 }, async (t) => {
  const app = await stage(t, { headers: { 'access-control-allow-origin': '*' } });
  const { page, host } = await blockPage(t, `${app.playground}embed.js`, { scenario: THREAD_SCENARIO });
  const workers = [];
  page.on('request', (r) => r.url().endsWith('worker_bg.wasm') && workers.push(r.url()));
  await mounted(host);
  await page.waitForTimeout(500); // workers load while the reader reads
  const result = await runIt(host);
  assert.equal(result.tasks[1].outcome, 'ok');
  assert.ok(workers.includes(`${app.playground}worker_bg.wasm`), `workers: ${workers}`);
  await countIs(host.locator('.notice'), 0);
  assert.deepEqual(ourErrors(page), []);
});

test('another origin with CORS, workers refused by the page\'s CSP: the run says to_thread ran on timers', { timeout: 120_000 }, async (t) => {
  const app = await stage(t, { headers: { 'access-control-allow-origin': '*' } });
  const origin = app.url.slice(0, -1);
  const csp = `default-src 'self'; script-src 'self' ${origin} 'wasm-unsafe-eval'; style-src 'self' ${origin}; connect-src 'self' ${origin}; worker-src 'self'`;
  const { page, host } = await blockPage(t, `${app.playground}embed.js`, { csp, scenario: THREAD_SCENARIO });
  await mounted(host);
  await runIt(host);
  await textMatches(host.locator('.notice'), /could not start here; timers stood in/);
  await page.screenshot({ path: join(out, 'failure-workers.png'), fullPage: true });
});

// ---- Share ---------------------------------------------------------------------

test('Share: link, Markdown block, <async-playground> and iframe snippets carry the scenario and options, and each runs when pasted', { timeout: 180_000 }, async (t) => {
  const s = await stage(t);
  const page = await visit(t, `${s.playground}`);
  await page.waitForSelector('.task-row');
  await env.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.url.slice(0, -1) });
  await page.fill('.task-label >> nth=0', 'pasted <task> & co');
  await page.selectOption('#mode-select', 'taskgroup');
  await page.click('#share');
  await textIs(page.locator('.share-status'), 'Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(link.startsWith(`${s.playground}#s1=`), link);
  const texts = {};
  for (const tab of ['markdown', 'element', 'iframe']) {
    await page.check(`#share-tab-${tab}`);
    await page.selectOption('#share-modes', 'pair');
    await page.check('#share-minimal');
    await page.selectOption('#share-editor', 'open');
    texts[tab] = await eventually(async () => {
      const text = await page.inputValue('#share-text');
      assert.match(text, tab === 'markdown' ? /"embed": \{"modes": "sequential taskgroup"/ : /sequential\+?\s?taskgroup/);
      return text;
    });
    await page.click('#share-copy');
    await eventually(async () => assert.equal(await page.evaluate(() => navigator.clipboard.readText()), texts[tab]));
  }
  await page.screenshot({ path: join(out, 'share-panel.png') });
  // Escape closes the panel; the focus goes back to Share.
  await page.locator('#share-text').focus();
  await page.keyboard.press('Escape');
  await countIs(page.locator('.share-panel'), 0);
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.id), 'share'));
  assert.match(texts.markdown, /^```async-playground\n\{\n/);
  assert.match(texts.element, /^<script defer src="[^"]+embed\.js"><\/script>\n<async-playground modes="sequential taskgroup" controls="minimal" editor="open" scenario='/);
  assert.match(texts.iframe, /^<iframe src="[^"]+index\.html\?embed&amp;modes=sequential\+taskgroup&amp;controls=minimal&amp;editor=open#s1=/);

  // Pasted into pages: the same scenario, the same options.
  const body = (md) => md.split('\n').slice(1, -1).join('\n');
  const escape = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const pasted = {
    markdown: `<script defer src="${s.playground}embed.js"></script>\n<pre><code class="language-async-playground">${escape(body(texts.markdown))}</code></pre>`,
    element: texts.element,
    iframe: texts.iframe,
  };
  for (const [tab, html] of Object.entries(pasted)) {
    writeFileSync(join(s.root, `${tab}.html`), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${tab}</title></head><body>${html}</body></html>`);
    const p = await visit(t, `${s.url}${tab}.html`);
    const root = tab === 'iframe' ? p.frameLocator('iframe') : p.locator('async-playground');
    await root.locator('#run').waitFor({ timeout: 20_000 });
    await eventually(async () => assert.equal(await root.locator('.task-label >> nth=0').inputValue(), 'pasted <task> & co'));
    await countIs(root.locator('#mode-select option'), 2);
    await eventually(async () => assert.equal(await root.locator('#mode-select').inputValue(), 'taskgroup'));
    await countIs(root.locator('details.editor-panel[open]'), 1);
    await countIs(root.locator('#opt-gil'), 0);
    await root.locator('#run').click();
    await root.locator('.timeline-taskgroup[data-status=finished]').waitFor({ timeout: RUN_MS });
    await p.close();
  }
});

// ---- The docs ------------------------------------------------------------------

test('docs/embedding.md quotes the recipes these tests build, word for word', () => {
  const doc = readFileSync(DOCS, 'utf8');
  // A recipe block is preceded by <!-- e2e/sites/<file> -->.
  const quoted = [...doc.matchAll(/<!-- (e2e\/sites\/[^ ]+) -->\n(`{3,})[^\n]*\n([\s\S]*?)\n\2/g)];
  assert.ok(quoted.length >= 8, `${quoted.length} recipes quoted`);
  for (const [, path, , text] of quoted) {
    const file = readFileSync(join(here, '..', path), 'utf8');
    assert.ok(file.includes(text.trim()), `${path} no longer says what docs/embedding.md quotes`);
  }
  for (const g of ['mdbook', 'mkdocs', 'hugo', 'jekyll', 'docusaurus', 'sphinx', 'plain']) {
    assert.ok(quoted.some(([, path]) => path.startsWith(`e2e/sites/${g}/`)), `no recipe quoted for ${g}`);
  }
});
