// "Inside the loop" (issue 13) in real Chromium: the stepper walks the
// model's event log one callback at a time, by buttons, by the slider's
// keys and by dragging across the lanes; the running line of the lesson
// program is marked, in the stepper and in the Code view's "Python, short"
// tab; the blocking preset stalls the loop where its to_thread variant
// keeps it free; a finished run adds its measured bars, shaded by the
// states the run measured (a to_thread task queued for a pool thread).
// The log itself is checked natively (tests/domain_event_log.rs,
// tests/domain_step_view.rs).
//
// Imported by e2e.mjs; `node --test stepper.mjs` runs only these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, out, countIs, countAtLeast, textMatches, eventually, runMode } from './harness.mjs';

/** The step number and count the panel shows. */
async function stepOf(page) {
  const text = await page.locator('.sv-head').innerText({ timeout: 2_000 });
  const m = /Step (\d+) of (\d+)/.exec(text);
  assert.ok(m, text);
  return { step: Number(m[1]), count: Number(m[2]) };
}

async function stepIs(page, step) {
  await eventually(async () => assert.equal((await stepOf(page)).step, step), { timeout: 15_000 });
}

async function openStepper(page) {
  await page.click('.stepper > summary');
  await stepIs(page, 1);
}

/** The step's sentences (the head's sentence and the timers' note). */
/** Step `step`'s sentence and marked lesson line (null: none), polled
 * until they are read from that very step's view. */
async function shownAt(page, step) {
  return eventually(async () => {
    assert.equal((await stepOf(page)).step, step);
    const line = await page.locator('.stepper-view .sv-code mark.sv-line')
      .getAttribute('data-line', { timeout: 200 }).catch(() => null);
    const said = await sentence(page);
    assert.equal((await stepOf(page)).step, step);
    return { said, line };
  });
}

async function sentence(page) {
  return (await page.locator('.sv-text').innerText({ timeout: 2_000 })) + ' '
    + ((await page.locator('.sv-note').count()) ? await page.locator('.sv-note').innerText({ timeout: 2_000 }) : '');
}

test('stepping the blocking preset: the loop stalls and the timers pile up overdue; with to_thread they fire on time', async () => {
  const page = await open();
  await page.selectOption('#preset-select', 'blocking-vs-to-thread');
  await textMatches(page.locator('.preset-explain h3'), /Blocking requests\.get/);
  await openStepper(page);
  const lines = new Set();
  const { count } = await stepOf(page);
  assert.ok(count >= 12, `a few steps (${count})`);
  // Forward ten times: the sleeps set their timers, the downloads block
  // the loop one after another, and the timers come due behind them.
  const lates = [];
  for (let i = 2; i <= 11; i++) {
    await page.click('#step-forward');
    await stepIs(page, i);
    const { said, line } = await shownAt(page, i);
    if (line) lines.add(line);
    const m = /The loop is blocked while (\d+) timers? (?:is|are) due: at (\d+) ms .* (\d+) ms late\./.exec(said);
    if (m) {
      lates.push(Number(m[3]));
      // The heap lists them overdue, and the loop lane marks their deadlines.
      await countIs(page.locator('.sv-queues li.sv-overdue'), Number(m[1]), { message: `step ${i}: overdue timers listed` });
      await countIs(page.locator('.sv-loop .sv-due'), Number(m[1]), { message: `step ${i}: deadlines marked on the loop lane` });
      if (lates.length === 3) await page.locator('.stepper').screenshot({ path: join(out, 'stepper-blocking-pile-up.png') });
    }
    if (/timers due:/.test(said)) assert.match(said, /They fire up to \d+ ms late: a blocking call held the loop\./);
  }
  assert.deepEqual(lates, [400, 900, 1400], 'three downloads in turn: the timers wait ever longer');
  assert.ok(lines.size >= 2, `the marked line moves with the steps (${[...lines]})`);
  await countAtLeast(page.locator('.sv-loop .sv-seg.blocking'), 1, { message: 'the loop lane shows the stall' });
  await countAtLeast(page.locator('.sv-lane .st-blocking'), 1, { message: 'a task shaded as blocking' });
  await textMatches(page.locator('.sv-legend'), /blocking the loop/);
  await page.locator('.stepper').screenshot({ path: join(out, 'stepper-blocking.png') });
  // Back works as well as forward.
  const at = (await stepOf(page)).step;
  await page.click('#step-back');
  await stepIs(page, at - 1);
  // The downloads handed to to_thread (the sleeps stay sleeps): a new subject starts at step 1.
  const kinds = page.locator('.task-kind');
  for (let i = 0; i < await kinds.count(); i++) {
    if ((await kinds.nth(i).inputValue()) === 'blocking') await kinds.nth(i).selectOption('thread-wait');
  }
  // Each select is a new subject: wait for the last one's lanes, then its first step.
  await countIs(page.locator('.sv-loop .sv-seg.blocking'), 0, { message: 'the loop is never blocked' });
  await stepIs(page, 1);
  await countAtLeast(page.locator('.sv-lane .st-thread'), 1, { message: 'tasks shaded as running in a thread' });
  let sawThreads = false;
  let onTime = 0;
  for (let i = 2; i <= 12; i++) {
    await page.click('#step-forward');
    await stepIs(page, i);
    sawThreads ||= (await page.locator('.sv-queues h4', { hasText: /^Threads/ }).count()) > 0;
    const { said } = await shownAt(page, i);
    assert.doesNotMatch(said, /late|overdue|blocked/, `step ${i}: ${said}`);
    await countIs(page.locator('.sv-overdue, .sv-due'), 0, { message: `step ${i}: nothing overdue` });
    if (/timer due:/.test(said)) {
      assert.match(said, /It fires on time: the loop was free\./);
      if (onTime++ === 0) await page.locator('.stepper').screenshot({ path: join(out, 'stepper-to-thread-on-time.png') });
    }
  }
  assert.ok(sawThreads, 'the threads at work are listed');
  assert.ok(onTime >= 2, `timers fire on time as the loop gets to them (${onTime})`);
  await page.locator('.stepper').screenshot({ path: join(out, 'stepper-to-thread.png') });
  await page.close();
});

test('the slider takes the keyboard and dragging across the lanes scrubs; a finished run adds its measured bars', async () => {
  const page = await open();
  await openStepper(page);
  const { count } = await stepOf(page);
  // The stepper's styles apply at full width (a stray brace in app.css once
  // left them inside a narrow-screen @media block).
  await eventually(async () => assert.equal(
    await page.$eval('.sv-body', (e) => getComputedStyle(e).display), 'grid'));
  await page.focus('#step-slider');
  await page.keyboard.press('End');
  await stepIs(page, count);
  await page.keyboard.press('Home');
  await stepIs(page, 1);
  await page.keyboard.press('ArrowRight');
  await stepIs(page, 2);
  await page.waitForFunction(
    () => /^Step 2 of \d+: at /.test(document.querySelector('#step-slider')?.getAttribute('aria-valuetext') ?? ''),
    null,
    { timeout: 15_000 },
  );
  // Drag from the start of the lanes to their middle: the cursor follows.
  const track = await page.locator('.sv-loop .sv-track').boundingBox();
  await page.mouse.move(track.x + 2, track.y + track.height / 2);
  await page.mouse.down();
  await page.mouse.move(track.x + track.width / 2, track.y + track.height / 2, { steps: 5 });
  await page.mouse.up();
  // The step and its cursor come in one answer from the worker: poll both.
  await eventually(async () => {
    const { step } = await stepOf(page);
    assert.ok(step > 2 && step < count, `a middle step (${step} of ${count})`);
    const cursor = await page.locator('.sv-loop .sv-cursor').boundingBox({ timeout: 2_000 });
    assert.ok(Math.abs(cursor.x - (track.x + track.width / 2)) < track.width * 0.2, `the cursor is near the middle (${JSON.stringify([cursor, track, await page.locator('.sv-head').innerText()])})`);
  });
  // Focus never fell to the page.
  assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'BODY');
  // A run: its measured bars join the model's, with the moment's counts.
  await page.click('#run');
  await countIs(page.locator('#live .timeline[data-status=finished]'), 1, { timeout: 30_000 });
  await countAtLeast(page.locator('.sv-measured'), 5, { message: 'measured bars' });
  await textMatches(page.locator('.sv-now'), /Model: \d+ started, \d+ ended\. Run: \d+ started, \d+ ended\./);
  await page.close();
});

/** `#j=` link for a scenario object. */
const link = (scenario) => '#j=' + encodeURIComponent(JSON.stringify(scenario));


test('a to_thread run of 5 tasks on 3 threads: the measured bars show 2 queued for a pool thread, then in a thread', async () => {
  const scenario = {
    options: { gil: false, pool_size: 3 },
    tasks: Array.from({ length: 5 }, (_, i) => ({ label: `job ${i + 1}`, kind: 'thread-wait', ms: 400 })),
  };
  const page = await open({ path: link(scenario) });
  await countIs(page.locator('.task-row'), 5);
  await runMode(page, 'gathered');
  await openStepper(page);
  // The fourth and fifth jobs waited for a thread about as long as the
  // first three ran (half the run): long queued parts, measured.
  await eventually(async () => {
    const queued = await page.$$eval('.sv-lane .sv-mseg.st-queued-thread',
      (els) => els.map((e) => parseFloat(e.getAttribute('width'))));
    assert.ok(queued.filter((w) => w >= 25).length === 2, `two long queued parts (${queued})`);
  });
  await countIs(page.locator('.sv-lane .sv-mseg.st-thread'), 5, { message: 'every job measured in its thread' });
  await textMatches(page.locator('.sv-legend'), /queued for a pool thread/);
  await textMatches(page.locator('.sv-measured-note'), /Not measured:/);
  // Forward to a moment inside the run: the run's states at the cursor.
  const { count } = await stepOf(page);
  for (let i = 2; i <= count && await page.locator('.sv-run-states').count() === 0; i++) {
    await page.click('#step-forward');
    await stepIs(page, i);
  }
  await textMatches(page.locator('.sv-run-states'), /^In the run then: .*(queued for a pool thread|running in a thread)/);
  await page.locator('.stepper').screenshot({ path: join(out, 'stepper-measured-to-thread.png') });
  await page.close();
});

test('the Code view\'s "Python, short" tab marks the line the stepper is at, inside its box, without moving the page', async () => {
  // Every kind of task, a Semaphore and timeouts: a lesson longer than its box.
  const kinds = ['io', 'fail', 'blocking', 'thread-wait', 'thread-cpu', 'stream'];
  const scenario = {
    options: { gil: true, pool_size: 2, limit: 2 },
    tasks: kinds.map((kind, i) => ({ label: `t${i + 1}`, kind, ms: 100 + 50 * i, ...(i % 2 ? { timeout_ms: 1000 } : {}) })),
  };
  const page = await open({ path: link(scenario) });
  await countIs(page.locator('.task-row'), 6);
  await page.click('.code-view > summary');
  await page.click('#code-tab-lesson');
  const pre = page.locator('#code-panel pre.code');
  await textMatches(pre, /asyncio\.run\(main\(\)\)/);
  await countIs(pre.locator('mark'), 0, { message: 'no step shown, no line marked' });
  await eventually(async () => {
    const [scroll, client] = await pre.evaluate((p) => [p.scrollHeight, p.clientHeight]);
    assert.ok(scroll > client, `the lesson overflows its box (${scroll} > ${client})`);
  });
  await openStepper(page);
  // The first click may scroll the button into view; after it, nothing may
  // move the page.
  let pageY = null;
  let shot = null;
  const seen = new Set();
  for (let i = 2; i <= 16; i++) {
    await page.click('#step-forward');
    await stepIs(page, i);
    pageY ??= await page.evaluate(() => window.scrollY);
    const { line } = await shownAt(page, i);
    // The Code view follows: the same line marked, announced as current,
    // and scrolled into view within the box.
    await eventually(async () => {
      const marked = await pre.locator('mark.sv-line').getAttribute('data-line', { timeout: 200 }).catch(() => null);
      assert.equal(marked, line, `step ${i}`);
      if (line === null) return;
      assert.equal(await pre.locator('mark.sv-line').getAttribute('aria-current'), 'true');
      const inView = await pre.evaluate((p) => {
        const a = p.getBoundingClientRect(); const b = p.querySelector('mark').getBoundingClientRect();
        return b.top >= a.top - 1 && b.bottom <= a.bottom + 1;
      });
      assert.ok(inView, `line ${line} is in view inside the box`);
    });
    if (line && Number(line) > 22) shot ??= i;
    if (line) seen.add(Number(line));
  }
  assert.ok(seen.size >= 3, `the mark moved (${[...seen]})`);
  assert.ok(Math.max(...seen) > 22, `a line below the box's first screen was marked (${[...seen]})`);
  assert.equal(await page.evaluate(() => window.scrollY), pageY, 'the page did not move');
  // Back to a step low in the program, for a look (a screenshot scrolls).
  await page.focus('#step-slider');
  await page.keyboard.press('Home');
  await stepIs(page, 1);
  for (let i = 2; i <= shot; i++) {
    await page.keyboard.press('ArrowRight');
    await stepIs(page, i);
  }
  await countIs(pre.locator('mark.sv-line'), 1);
  await page.locator('.code-view').screenshot({ path: join(out, 'code-view-lesson-marked.png') });
  // Closing the stepper: no step shown, no line marked.
  await page.click('.stepper > summary');
  await countIs(pre.locator('mark'), 0, { message: 'the mark goes with the stepper' });
  await page.close();
});
