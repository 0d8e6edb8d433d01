// What every end-to-end test file shares: one server for dist/, one
// Chromium (Debian's, through playwright-core), pages that start with a
// clean autosave, the console errors seen, and the helpers that wait for a
// condition instead of reading the page once. Screenshots go to e2e/out/.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launch } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const dist = join(here, '..', 'dist');
export const out = join(here, 'out');
mkdirSync(out, { recursive: true });

/** The server and browser context, set before the first test. */
export const env = { server: null, context: null };
/** Console errors and uncaught exceptions of every page opened. */
export const consoleErrors = [];

before(async () => {
  env.server = await serveDist(dist);
  env.context = await launch();
});
after(async () => {
  await env.context?.close();
  env.server?.close();
});

/** Clears the served origin's localStorage (without a navigation, which
 * would make Chromium ask for a /favicon.ico that is not there). */
export async function forgetStorage(page) {
  const cdp = await env.context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: env.server.url.slice(0, -1), storageTypes: 'local_storage' });
  await cdp.detach();
}

/** Reports a page's console errors into `errors` (by default the shared
 * `consoleErrors`). */
export function watch(page, errors = consoleErrors) {
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}

/** A fresh page at `path`; `keepStorage: false` first forgets the autosave
 * (one browser profile serves every test, and the app autosaves). Console
 * errors go to `errors` (by default the shared `consoleErrors`); it is ready
 * when `ready` (a selector) is there. */
export async function open({ width = 1440, height = 900, dark = false, path = '', keepStorage = false, errors = consoleErrors, ready = '.task-row' } = {}) {
  const page = watch(await env.context.newPage(), errors);
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  if (!keepStorage) await forgetStorage(page);
  await page.goto(env.server.url + path);
  await page.waitForSelector(ready);
  return page;
}

// ---- Waiting for the page --------------------------------------------------
// After an action (click, fill, key, reload, message) Yew renders on a later
// task: on a busy 2-core machine that can be hundreds of ms later. So a test
// never reads the page once after an action; it retries its assertion until
// it holds or the time is up (then the last failure is reported).

/** Default time for a condition to come true after an action. */
export const WAIT_MS = 10_000;

/** Rejects with `what` if `promise` takes longer than `ms` (the error has
 * `timedOut` set). */
export async function withTimeout(promise, ms, what = 'the operation') {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not finish within ${ms} ms`), { timedOut: true })), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the async assertion `check` until it passes (returning its value)
 * or `timeout` ms have gone by, then throws its last real failure. An
 * attempt that hangs counts against the same deadline (the last one still
 * gets a second). */
export async function eventually(check, { timeout = WAIT_MS, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let failure;
  for (;;) {
    const left = Math.max(deadline - Date.now(), 1_000);
    try {
      return await withTimeout(Promise.resolve().then(check), left, 'a check');
    } catch (error) {
      // A check cut short says less than the assertion that failed before it.
      if (!(error.timedOut && failure)) failure = error;
      if (Date.now() + interval >= deadline) throw failure;
    }
    await sleep(interval);
  }
}

/** Waits until `locator` matches `n` elements. `opts`: `timeout`, and a
 * `message` for the failure. */
export function countIs(locator, n, opts) {
  return eventually(async () => assert.equal(await locator.count(), n, opts?.message), opts);
}

/** Waits until `locator` matches at least `n` elements. */
export function countAtLeast(locator, n, opts) {
  return eventually(async () => {
    const count = await locator.count();
    assert.ok(count >= n, `${opts?.message ?? 'count'}: ${count}, wanted at least ${n}`);
  }, opts);
}

/** Waits until an element of `locator` (any of them: a page may show two
 * notices) has text matching `re`; returns that text. */
export function textMatches(locator, re, opts) {
  return eventually(async () => {
    const texts = await locator.allTextContents();
    const text = texts.find((t) => re.test(t));
    assert.ok(text !== undefined, opts?.message ?? `no text matches ${re}: ${JSON.stringify(texts).slice(0, 500)}`);
    return text;
  }, opts);
}

/** Waits until the (first) element of `locator` has text equal to `text`. */
export function textIs(locator, text, opts) {
  return eventually(async () => assert.equal(await locator.first().textContent({ timeout: 1_000 }), text, opts?.message), opts);
}

/** Waits until the form field `locator` holds `value`. */
export function valueIs(locator, value, opts) {
  return eventually(async () => assert.equal(await locator.first().inputValue({ timeout: 1_000 }), value, opts?.message), opts);
}

/** The autosave's text on the page's origin (null if none). */
export function savedText(page, key = 'async-playground:autosave') {
  return page.evaluate((key) => localStorage.getItem(key), key);
}

/** Waits until the parsed autosave passes `check`; returns it. */
export function savedWhen(page, check, opts) {
  return eventually(async () => {
    const saved = JSON.parse(await savedText(page));
    check(saved);
    return saved;
  }, opts);
}

/** The newest run id in the results table (0 if none). */
export function lastRunId(page) {
  return page.$$eval('.result-row', (rows) => Math.max(0, ...rows.map((r) => Number(r.dataset.runId))));
}

/** Chooses `mode`, runs `prepare` (changes to make first), clicks Run and
 * waits for this run, not an earlier finished one of the same mode, to
 * finish. Returns `{ wall, lag }` (ms) from its results row. */
export async function runMode(page, mode, { prepare, timeout = 30_000 } = {}) {
  const before = await lastRunId(page);
  await page.selectOption('#mode-select', mode);
  if (prepare) await prepare();
  await page.click('#run');
  const done = await page.waitForFunction(
    ([mode, before]) => {
      const row = document.querySelector(`.result-row.mode-${mode}`);
      const finished = document.querySelector(`#live .timeline-${mode}[data-status=finished]`);
      return finished && row && Number(row.dataset.runId) > before && row.dataset.wallMs
        && { wall: Number(row.dataset.wallMs), lag: Number(row.dataset.maxLagMs) };
    },
    [mode, before],
    { timeout },
  );
  return done.jsonValue();
}
