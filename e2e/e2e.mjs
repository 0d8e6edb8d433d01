// End-to-end test: what a user does in real headless Chromium against the
// trunk build in dist/. Screenshots go to e2e/out/ to be looked at.
// Run: node --test e2e.mjs   (after `trunk build --release`)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './serve.mjs';
import { launch } from './browser.mjs';
// The presets, Code panel and export/import tests (also runnable alone).
import './views.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const out = join(here, 'out');
mkdirSync(out, { recursive: true });

let server;
let context;
const consoleErrors = [];

before(async () => {
  server = await serveDist(dist);
  context = await launch();
});
after(async () => {
  await context?.close();
  server?.close();
});

async function open({ width = 1440, height = 900, dark = false } = {}) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(server.url);
  await page.waitForSelector('.task-row');
  return page;
}

/** Fraction of a canvas's pixels that are painted (not transparent). */
function paintedShare(page, selector) {
  return page.$eval(selector, (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted / (data.length / 4);
  });
}

test('the page shows the default scenario without errors', async () => {
  const page = await open();
  assert.equal(await page.locator('.task-row').count(), 5);
  assert.equal(await page.inputValue('.task-label >> nth=0'), 'fetch data 1');
  assert.equal(await page.title(), 'Async Playground');
  await page.screenshot({ path: join(out, 'start-1440.png'), fullPage: true });
  await page.close();
  assert.deepEqual(consoleErrors, []);
});

test('Compare runs both modes, draws the timelines and shows a speedup > 1', async () => {
  const page = await open();
  await page.fill('#speed-input', '5');
  await page.click('#run-compare');
  await page.waitForSelector('#live .timeline-sequential[data-status=running]');
  await page.waitForSelector('#speedup', { timeout: 10_000 });
  const speedup = Number(await page.getAttribute('.speedup-value', 'data-speedup'));
  assert.ok(speedup > 1, `speedup ${speedup}`);
  assert.equal(await page.locator('#live .timeline[data-status=finished]').count(), 2);
  for (const mode of ['sequential', 'gathered']) {
    const share = await paintedShare(page, `#live .timeline-${mode} canvas.layer-bars`);
    assert.ok(share > 0.02, `${mode} timeline painted ${share}`);
  }
  const measured = await page.locator('.result-row .measured').allTextContents();
  assert.equal(measured.length, 2);
  assert.ok(measured.every((m) => /\d+(\.\d)? ms/.test(m)), measured.join(', '));
  await page.screenshot({ path: join(out, 'compare-1440.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(out, 'compare-dark.png'), fullPage: true });
  await page.close();
});

test('bad input gets a clear inline message and the text is kept', async () => {
  const page = await open({ width: 360, height: 800 });
  await page.fill('.task-duration >> nth=1', '-20');
  await page.fill('.task-duration >> nth=2', 'soon');
  await page.fill('#speed-input', '0');
  const errors = await page.locator('.error').allTextContents();
  assert.ok(errors.some((e) => e.includes("can't be negative")), errors.join(' | '));
  assert.ok(errors.some((e) => e.includes('“soon” is not a number')), errors.join(' | '));
  assert.ok(errors.some((e) => e.includes('Speed must be between')), errors.join(' | '));
  assert.ok(await page.isDisabled('#run-compare'));
  assert.equal(await page.inputValue('.task-duration >> nth=2'), 'soon');
  await page.screenshot({ path: join(out, 'errors-360.png'), fullPage: true });
  await page.close();
});

test('Stop ends a run and the page stays usable', async () => {
  const page = await open();
  await page.selectOption('#mode-select', 'sequential');
  await page.click('#run');
  await page.waitForSelector('#live .timeline-sequential[data-status=running]');
  await page.click('#run-stop');
  await page.waitForSelector('#live .timeline-sequential[data-status=stopped]');
  assert.ok(await page.isEnabled('#run-compare'));
  assert.ok(await page.isDisabled('#run-stop'));
  await page.close();
});

/** Sets task `index` (0-based) to a kind and a duration. */
async function setTask(page, index, kind, ms) {
  await page.selectOption(`.task-kind >> nth=${index}`, kind);
  await page.fill(`.task-duration >> nth=${index}`, String(ms));
}

async function runAndRead(page, mode) {
  await page.selectOption('#mode-select', mode);
  await page.click('#run');
  await page.waitForSelector(`#live .timeline-${mode}[data-status=finished]`, { timeout: 10_000 });
  const row = `.result-row.mode-${mode}`;
  return {
    wall: Number(await page.getAttribute(row, 'data-wall-ms')),
    lag: Number(await page.getAttribute(row, 'data-max-lag-ms')),
  };
}

test('a blocking call walls the loop; to_thread runs in a Web Worker and does not', async () => {
  const page = await open();
  const workerFiles = [];
  page.on('request', (r) => /worker(_bg\.wasm|\.js|_loader\.js)$/.test(r.url()) && workerFiles.push(r.url()));
  await setTask(page, 0, 'blocking', 300);
  const blocked = await runAndRead(page, 'gathered');
  assert.ok(blocked.lag >= 250, `blocking: loop lag ${blocked.lag} ms`);
  await page.screenshot({ path: join(out, 'blocking.png'), fullPage: true });
  await setTask(page, 0, 'thread-cpu', 300);
  // Give the workers a moment to load (they start while the user edits).
  await page.waitForTimeout(500);
  const offloaded = await runAndRead(page, 'gathered');
  assert.ok(offloaded.lag < 100, `to_thread: loop lag ${offloaded.lag} ms`);
  assert.ok(offloaded.wall >= 600, `the 600 ms I/O task still sets the total: ${offloaded.wall}`);
  assert.ok(workerFiles.some((u) => u.endsWith('worker_bg.wasm')), `worker loaded: ${workerFiles}`);
  await page.screenshot({ path: join(out, 'offloaded.png'), fullPage: true });
  await page.close();
});

test('Stop ends a busy worker job: the next run does not wait for it', async () => {
  const page = await open();
  for (let i = 4; i >= 1; i--) await page.click(`.icon-btn.remove >> nth=${i}`);
  await setTask(page, 0, 'thread-cpu', 5000);
  // Without the GIL the job is one long burn (with it, 5 ms slices that
  // simply stop coming).
  await page.uncheck('#opt-gil');
  await page.waitForTimeout(500); // workers load while the user edits
  await page.selectOption('#mode-select', 'gathered');
  await page.click('#run');
  await page.waitForTimeout(300);
  await page.click('#run-stop');
  await page.waitForSelector('#live .timeline-gathered[data-status=stopped]');
  // Same thread, a short job: a worker still burning the old 5 s job
  // would hold it for ~4.7 s more.
  await page.fill('.task-duration >> nth=0', '200');
  const next = await runAndRead(page, 'gathered');
  assert.ok(next.wall < 1500, `the next run took ${next.wall} ms`);
  await page.close();
});

test('TaskGroup: one failure cancels the rest, and the table says so', async () => {
  const page = await open();
  await page.fill('#speed-input', '5');
  await page.selectOption('.task-kind >> nth=1', 'fail');
  await runAndRead(page, 'taskgroup');
  await page.click('#live .timeline-taskgroup .task-table summary');
  // The table is built when opened: wait for its rows, not just the click.
  await page.waitForSelector('#live .timeline-taskgroup .task-table tbody tr');
  const outcomes = await page.$$eval('#live .timeline-taskgroup .task-table tbody tr', (rows) =>
    rows.map((r) => [r.dataset.measuredOutcome, r.dataset.predictedOutcome]),
  );
  assert.deepEqual(outcomes.map((o) => o[0]), ['cancelled', 'failed', 'cancelled', 'cancelled', 'cancelled']);
  assert.deepEqual(outcomes.map((o) => o[1]), outcomes.map((o) => o[0]));
  await page.screenshot({ path: join(out, 'taskgroup.png'), fullPage: true });
  await page.close();
});

test('Compare all modes runs every mode and reports each', async () => {
  const page = await open();
  await page.fill('#speed-input', '10');
  await page.click('#run-all');
  await page.waitForFunction(() => document.querySelectorAll('#live .timeline[data-status=finished]').length === 7, null, { timeout: 20_000 });
  assert.equal(await page.locator('.result-row').count(), 7);
  await page.screenshot({ path: join(out, 'compare-all.png'), fullPage: true });
  await page.close();
});

/** Runs `mode` and records animation-frame intervals while it runs. */
async function frameTimes(page, button) {
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    window.__stopFrames = false;
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  await page.click(button);
  await page.waitForSelector('#live .timeline[data-status=finished]', { timeout: 60_000 });
  const wallMs = Date.now() - started;
  const frames = await page.evaluate(() => {
    window.__stopFrames = true;
    return window.__frames.slice(1).sort((a, b) => a - b);
  });
  const pct = (p) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))];
  return { frames: frames.length, p50: pct(0.5), p95: pct(0.95), max: frames.at(-1), wallMs };
}

test('1,000 tasks: the timeline keeps drawing while they run', async () => {
  const page = await open();
  await page.fill('#gen-count', '1000');
  await page.fill('#gen-duration', '1500');
  await page.click('#gen-make');
  await page.waitForFunction(() => document.querySelector('.page-info')?.textContent.includes('of 1000'));
  await page.selectOption('#mode-select', 'gathered');
  const gather = await frameTimes(page, '#run');
  console.log(`# 1000 gathered × 1500 ms: frames ${gather.frames}, p50 ${gather.p50.toFixed(1)} ms, p95 ${gather.p95.toFixed(1)} ms, max ${gather.max.toFixed(1)} ms`);
  assert.ok(gather.frames > 10, 'frames kept coming during the run');
  const share = await paintedShare(page, '#live .timeline-gathered canvas.layer-bars');
  assert.ok(share > 0.05, `painted ${share}`);
  await page.screenshot({ path: join(out, 'gather-1000.png'), fullPage: false });
  await page.close();
});

test('history: runs can be compared side by side; timelines read by keyboard and zoom', async () => {
  const page = await open();
  await page.click('#run-compare');
  await page.waitForSelector('.timelines .timeline-gathered[data-status="finished"]', { timeout: 20000 });
  const picks = page.locator('.history-run input[type=checkbox]');
  assert.equal(await picks.count(), 2);
  await picks.nth(0).check();
  await picks.nth(1).check();
  const rows = page.locator('.compare-table tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 2);
  const wall = Number(await page.getAttribute('.compare-table tr[data-mode="gathered"]', 'data-wall-ms'));
  assert.ok(wall >= 598 && wall < 900, `gathered wall ${wall}`);
  assert.match(await page.locator('.compare-table tr[data-mode="sequential"]').textContent(), /1\.0×/);
  assert.equal(await page.locator('.compare .timeline').count(), 2);
  // Insights say why gather won.
  assert.match((await page.locator('.insight[data-kind="speedup"]').textContent()) ?? '', /I\/O-bound/);

  // Keyboard: focus the gathered timeline, read task 2, zoom in and out.
  const stack = page.locator('.timelines .timeline-gathered .timeline-stack').first();
  await stack.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const live = page.locator('.timelines .timeline-gathered [aria-live]').first();
  assert.match(await live.textContent(), /^2\. fetch data 2: kind I\/O wait, 250 ms; predicted 0\.0 ms → 250 ms/);
  await page.keyboard.press('+');
  assert.match(await page.locator('.timelines .zoom-note').first().textContent(), /zoomed to/);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.timelines .zoom-note').count(), 0);
  // Drag across a timeline to zoom; "Show all" undoes it.
  const box = await stack.boundingBox();
  await page.mouse.move(box.x + 200, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + 400, box.y + 40, { steps: 4 });
  await page.mouse.up();
  assert.equal(await page.locator('.timelines .zoom-note').count(), 2);
  await page.getByRole('button', { name: 'Show all' }).click();
  assert.equal(await page.locator('.timelines .zoom-note').count(), 0);
  // Forget a run: it leaves the comparison.
  await page.getByRole('button', { name: 'Forget Sequential #1' }).click();
  assert.equal(await page.locator('.compare-table').count(), 0);
  await page.close();
  assert.deepEqual(consoleErrors, []);
});
