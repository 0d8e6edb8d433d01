// End-to-end tests of the views of issue #4: the tutorial presets (each one
// run for real against its explanation), the Code panel, and trace export
// and import. Imported by e2e.mjs, so `node --test e2e.mjs` runs them too;
// `node --test views.mjs` runs only these. Screenshots go to e2e/out/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { env, consoleErrors as pageErrors, open, out, eventually, countIs, textMatches, textIs, valueIs, runMode } from './harness.mjs';

/** Clicks Run in `mode` (after the preset's `change`) and waits for that
 * run to finish; returns its wall time in ms. */
async function runIn(page, mode, { change = 'none' } = {}) {
  const { wall } = await runMode(page, mode, { prepare: () => applyChange(page, change) });
  return wall;
}

/** Makes the change a preset's explanation asks for (see presets.rs). */
async function applyChange(page, change) {
  const [what, value] = change.split(':');
  if (what === 'return-exceptions') {
    await page.setChecked('#opt-return-exceptions', value === 'true');
  } else if (what === 'pool') {
    await page.fill('#opt-pool', value);
    await page.dispatchEvent('#opt-pool', 'change');
  } else if (what === 'offload') {
    // The blocking calls go to threads; the other tasks stay as they are.
    const count = await page.locator('.task-kind').count();
    for (let i = 0; i < count; i++) {
      const select = page.locator(`.task-kind >> nth=${i}`);
      if ((await select.inputValue()) === 'blocking') await select.selectOption('thread-wait');
    }
  }
  if (what === 'offload' || what === 'pool' || (await page.locator('.task-kind option:checked[value^=thread]').count()) > 0) {
    // Web Workers start while the user edits; give them a moment to load.
    await page.waitForTimeout(500);
  }
}

async function loadPreset(page, slug) {
  // Via the empty choice, so choosing the same preset again reloads it.
  await page.selectOption('#preset-select', '');
  await page.selectOption('#preset-select', slug);
  await page.waitForSelector(`.preset-explain[data-preset="${slug}"]`);
}

test('every preset runs, and what is measured is what its explanation says', async () => {
  const page = await open();
  const slugs = await page.$$eval('#preset-select option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(slugs.length >= 8, `presets: ${slugs}`);
  const report = [];
  for (const slug of slugs) {
    await loadPreset(page, slug);
    const claims = JSON.parse(await page.getAttribute('.preset-explain', 'data-claims'));
    assert.ok(claims.length > 0, `${slug} has claims`);
    for (const claim of claims) {
      await loadPreset(page, slug);
      const wall = await runIn(page, claim.mode, { change: claim.change });
      const predicted = claim.total_ms;
      // Timers fire late, never early; a loaded 2-core machine adds delay.
      const slack = Math.max(150, predicted * 0.15);
      report.push(`${slug} ${claim.mode} ${claim.change}: ${wall.toFixed(1)} ms (explained ${predicted})`);
      assert.ok(wall >= predicted - 2, `${slug} ${claim.mode} ${claim.change}: ${wall} ms < ${predicted} ms`);
      assert.ok(wall <= predicted + slack, `${slug} ${claim.mode} ${claim.change}: ${wall} ms ≫ ${predicted} ms`);
    }
  }
  console.log(report.join('\n'));
  // Editing keeps the explanation (its numbers invite changes); a reset ends it.
  await page.fill('.task-duration >> nth=0', '123');
  // The edit is rendered once the last run is marked "edited since".
  await page.waitForSelector('.result-row .stale');
  await countIs(page.locator('.preset-explain'), 1);
  await page.click('#reset-tasks');
  await countIs(page.locator('.preset-explain'), 0);
  await valueIs(page.locator('#preset-select'), '');
  await page.close();
  assert.deepEqual(pageErrors, []);
});

test('the Code panel shows Python and Rust, keyboard tabs, Copy, and says when the tasks are invalid', async () => {
  const page = await open();
  await env.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  await countIs(page.locator('#code-panel'), 0); // closed at first
  // Keyboard: the summary opens with Enter, the tabs move with the arrows.
  await page.focus('.code-view > summary');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#code-panel pre.code');
  const code = page.locator('#code-panel pre.code');
  const python = await textMatches(code, /import asyncio[^]*asyncio\.gather/);
  assert.equal(await page.getAttribute('#code-tab-python', 'aria-selected'), 'true');
  await page.focus('#code-tab-python');
  await page.keyboard.press('ArrowRight');
  const focused = () => page.evaluate(() => document.activeElement.id);
  // The short form a tutorial prints: 10-25 lines, no timing table.
  await eventually(async () => {
    assert.equal(await page.getAttribute('#code-tab-lesson', 'aria-selected'), 'true');
    assert.equal(await focused(), 'code-tab-lesson');
    const lesson = await code.textContent();
    assert.match(lesson, /asyncio\.run\(main\(\)\)/);
    const lines = lesson.trim().split('\n').length;
    assert.ok(lines >= 10 && lines <= 25, `${lines} lines`);
  });
  await page.keyboard.press('ArrowRight');
  await eventually(async () => {
    assert.equal(await page.getAttribute('#code-tab-rust', 'aria-selected'), 'true');
    assert.equal(await focused(), 'code-tab-rust');
  });
  // The Rust program: tokio, not asyncio.
  await textMatches(code, /tokio/);
  await page.keyboard.press('Home');
  await eventually(async () => assert.equal(await focused(), 'code-tab-python'));
  await textIs(code, python);
  // Live: the mode and the tasks change the program.
  await page.selectOption('#mode-select', 'sequential');
  await eventually(async () => {
    const text = await code.textContent();
    assert.match(text, /import asyncio/);
    assert.doesNotMatch(text, /asyncio\.gather/);
  });
  await page.fill('.task-label >> nth=0', 'renamed task');
  await textMatches(code, /renamed task/);
  // Copy.
  await page.click('#code-copy');
  await textIs(page.locator('#code-copy-status'), 'Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await code.textContent());
  // When the clipboard refuses, the code is selected for Ctrl+C instead.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new Error('denied'));
  });
  await page.click('#code-copy');
  await page.waitForFunction(() => document.querySelector('#code-copy-status').textContent.startsWith('Could not copy'));
  await eventually(async () => assert.match(await page.evaluate(() => String(window.getSelection())), /import asyncio/));
  // Invalid tasks: a message instead of code.
  await page.fill('.task-duration >> nth=0', 'soon');
  await textMatches(page.locator('.code-invalid'), /Fix the 1 problem/);
  await countIs(code, 0);
  await page.close();
});

test('10,000 tasks: the Code panel opens quickly and shows the start of the program', async () => {
  const page = await open();
  await page.fill('#gen-count', '10000');
  await page.fill('#gen-duration', '100');
  await page.click('#gen-make');
  await page.waitForFunction(() => document.querySelector('.page-info')?.textContent.includes('of 10000'));
  const started = Date.now();
  await page.click('.code-view > summary');
  await page.waitForSelector('.code-cut');
  const openMs = Date.now() - started;
  const lines = Number(await page.getAttribute('pre.code', 'data-lines'));
  console.log(`Code panel, 10,000 tasks: ${lines} lines, opened in ${openMs} ms`);
  assert.ok(lines > 10_000, `${lines} lines`);
  assert.ok(openMs < 3_000, `opened in ${openMs} ms`);
  const rustStarted = Date.now();
  await page.click('#code-tab-rust');
  await page.waitForFunction(() => document.querySelector('pre.code')?.textContent.includes('tokio'));
  const rustMs = Date.now() - rustStarted;
  const rustLines = Number(await page.getAttribute('pre.code', 'data-lines'));
  console.log(`Code panel, 10,000 tasks in Rust: ${rustLines} lines, shown in ${rustMs} ms`);
  assert.ok(rustMs < 3_000, `Rust shown in ${rustMs} ms`);
  await textMatches(page.locator('.code-cut'), /Showing the first 400 of/);
  await page.close();
});

test('a run downloads as a Chrome trace and as CSV, and the trace imports back into the history', async () => {
  const page = await open();
  await page.fill('#speed-input', '5');
  await runIn(page, 'gathered');
  const labels = await page.$$eval('.task-label', (inputs) => inputs.map((i) => i.value));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-trace')]);
  const name = download.suggestedFilename();
  assert.match(name, /^async-playground-gathered-\d+\.json$/);
  const tracePath = join(out, name);
  await download.saveAs(tracePath);
  const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
  assert.ok(Array.isArray(trace.traceEvents), 'traceEvents');
  // One complete (X) event per task on the measured process (pid 1).
  const measured = trace.traceEvents.filter((e) => e.ph === 'X' && e.pid === 1);
  assert.deepEqual(measured.map((e) => e.name).sort(), [...labels].sort());
  assert.ok(measured.every((e) => e.dur > 0), 'every task took time');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
  assert.match(csv.suggestedFilename(), /^async-playground-gathered-\d+\.csv$/);
  const csvPath = join(out, csv.suggestedFilename());
  await csv.saveAs(csvPath);
  const rows = readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  assert.equal(rows.length, 1 + labels.length, rows.join('\n'));

  // Import it back: one more run in the history.
  const before = Number(await page.getAttribute('.import-status', 'data-history-count'));
  await page.setInputFiles('#import-file', tracePath);
  await page.waitForFunction(() => document.querySelector('.import-status').textContent.includes('Imported'));
  const historyCount = () => page.getAttribute('.import-status', 'data-history-count').then(Number);
  await eventually(async () => assert.equal(await historyCount(), before + 1));
  await textMatches(page.locator('.import-status'), /Gathered run of 5 tasks/);
  // …and is shown: its timeline, measured bars painted from the file.
  await page.waitForSelector('.compare .timeline[data-status=finished]');
  await textMatches(page.locator('#compare-heading'), /^Run Gathered #\d+$/);
  await countIs(page.locator('.compare .task-table'), 1);

  // A file that is not a trace gets a message, and nothing is added.
  await page.setInputFiles('#import-file', { name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await textMatches(page.locator('.notice'), /Could not import notes\.json/);
  assert.equal(await historyCount(), before + 1);
  await page.close();
});

test('keyboard: Tab reaches the new controls in order, and focus is visible', async () => {
  const page = await open();
  await page.fill('#speed-input', '10');
  await runIn(page, 'gathered');
  await page.focus('#preset-select');
  const order = [];
  for (let i = 0; i < 200 && order.length < 400; i++) {
    // Tab moves the focus as part of the key press (the browser's own
    // action, no render), so it can be read at once.
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const el = document.activeElement;
      return el.id || (el.matches('.code-view > summary') ? 'code-summary' : el.tagName.toLowerCase());
    });
    order.push(id);
    if (id === 'import-trace') break;
  }
  const at = (id) => order.indexOf(id);
  for (const id of ['code-summary', 'mode-select', 'run', 'export-run', 'download-trace', 'download-csv', 'import-trace']) {
    assert.ok(at(id) >= 0, `${id} reachable: ${order.join(' ')}`);
  }
  assert.ok(at('code-summary') < at('mode-select') && at('export-run') < at('download-trace') && at('download-csv') < at('import-trace'));
  // Every control of the views has an accessible name.
  const unnamed = await page.$$eval('.presets select, .code-view button, .code-view summary, .export-panel button, .export-panel select, .export-panel input', (els) =>
    els.filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.textContent.trim())).map((el) => el.outerHTML),
  );
  assert.deepEqual(unnamed, []);
  // A visible outline on keyboard focus.
  await page.focus('#download-trace');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await eventually(async () => assert.equal(await page.$eval('#download-trace', (el) => getComputedStyle(el).outlineStyle), 'solid'));
  await page.close();
});

/** Checks nothing on the page is wider than the viewport. */
async function overflowing(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('.app *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-scroll-x, pre.code, .table-scroll'))
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`)
      .slice(0, 10);
  });
}

for (const width of [1440, 360]) {
  for (const dark of [false, true]) {
    test(`screenshots at ${width} px, ${dark ? 'dark' : 'light'}: preset, code, export`, async () => {
      const page = await open({ width, height: 900, dark });
      await loadPreset(page, 'two-tasks');
      await page.click('.code-view > summary');
      await page.waitForSelector('#code-panel pre.code');
      await runIn(page, 'gathered');
      await eventually(async () => assert.deepEqual(await overflowing(page), []));
      const theme = dark ? 'dark' : 'light';
      await page.screenshot({ path: join(out, `views-${width}-${theme}.png`), fullPage: true });
      await page.locator('.code-view').screenshot({ path: join(out, `views-code-${width}-${theme}.png`) });
      await page.locator('.export-panel').screenshot({ path: join(out, `views-export-${width}-${theme}.png`) });
      await page.close();
    });
  }
}
