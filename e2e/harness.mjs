// What every end-to-end test file shares: one server for dist/, one
// Chromium (Debian's, through playwright-core), pages that start with a
// clean autosave, and the console errors seen. Screenshots go to e2e/out/.
import { before, after } from 'node:test';
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

/** Reports a page's console errors into `consoleErrors`. */
export function watch(page) {
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return page;
}

/** A fresh page at `path`; `keepStorage: false` first forgets the autosave
 * (one browser profile serves every test, and the app autosaves). */
export async function open({ width = 1440, height = 900, dark = false, path = '', keepStorage = false } = {}) {
  const page = watch(await env.context.newPage());
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  if (!keepStorage) await forgetStorage(page);
  await page.goto(env.server.url + path);
  await page.waitForSelector('.task-row');
  return page;
}
