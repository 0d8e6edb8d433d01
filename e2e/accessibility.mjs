// Accessibility (issue 16), in real Chromium:
// - axe-core with the WCAG 2.2 A/AA rules finds nothing, at any impact, on
//   the main page: empty, after Compare, and after Compare all with every
//   panel open, at 1440 and 360 px, light and dark;
// - focus never falls to the page: Run and Compare keep it while running,
//   removing a task hands it to a neighbour or to Add task, closing a panel
//   leaves it on its summary;
// - a skip link leads to the run controls and Ctrl+Enter runs;
// - a task row is one Tab stop, with arrows, Home and End inside it;
// - one polite live region says the run's status, then the verdict;
// - at 360 px nothing scrolls sideways and icon buttons are 44 px targets;
// - Threads, GIL and timeout have help that opens on a click.
// Imported by e2e.mjs; `node --test accessibility.mjs` runs only these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { open, out, eventually, countIs, textMatches, runMode } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** Long enough for Compare all on a busy machine (speed 10). */
const RUN_MS = 60_000;

/** axe-core's WCAG 2.2 A/AA violations on `page`, one line per node. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${n.impact}) ${n.target.join(' > ')}: ${n.failureSummary}`));
  }, WCAG22_AA);
}

async function noViolations(page, when) {
  const found = await violations(page);
  assert.deepEqual(found, [], `${when}:\n${found.join('\n')}`);
}

/** Waits until no run is going on (Stop is off again). */
function idle(page) {
  return page.waitForFunction(() => {
    const stop = document.querySelector('#run-stop');
    return stop && (stop.disabled || stop.getAttribute('aria-disabled') === 'true')
      && !document.querySelector('#live .timeline[data-status=running]');
  }, null, { timeout: RUN_MS });
}

/** The focused element, described (`body` when focus fell to the page). */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 40)}`;
  });
}

/** Waits until focus is on an element matching `selector` (never body). */
function focusIs(page, selector, what) {
  return eventually(async () => {
    const on = await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
    assert.ok(on, `${what}: focus is on ${await focused(page)}, not ${selector}`);
  });
}

for (const { width, height } of [{ width: 1440, height: 900 }, { width: 360, height: 800 }]) {
  for (const dark of [false, true]) {
    const name = `${width} px ${dark ? 'dark' : 'light'}`;
    test(`axe finds no WCAG 2.2 AA violations at ${name}: empty, after Compare, after Compare all with the panels open`, async () => {
      const page = await open({ width, height, dark });
      await noViolations(page, `${name}, empty`);
      await page.fill('#speed-input', '10');
      await page.click('#run-compare');
      await page.waitForSelector('#speedup', { timeout: RUN_MS });
      await idle(page);
      await noViolations(page, `${name}, after Compare`);
      await page.click('#run-all');
      await page.waitForSelector('.ranking', { timeout: RUN_MS });
      await idle(page);
      await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; }));
      await page.waitForSelector('pre.code', { timeout: 20_000 });
      await page.waitForSelector('.compare-table');
      await noViolations(page, `${name}, after Compare all, every panel open`);
      await page.screenshot({ path: join(out, `a11y-${width}-${dark ? 'dark' : 'light'}.png`), fullPage: true });
      await page.close();
    });
  }
}

test('axe finds no WCAG 2.2 AA violations in the embed example (iframe and in-page), 1440 and 360 px, light and dark', async () => {
  for (const { width, dark } of [{ width: 1440, dark: false }, { width: 1440, dark: true }, { width: 360, dark: false }, { width: 360, dark: true }]) {
    const errors = [];
    const page = await open({ width, height: 900, dark, path: 'embed-example.html', ready: '[data-async-playground] #run', errors });
    await page.frameLocator('iframe.playground-frame').locator('#run').waitFor();
    // axe looks into the iframe only where it is loaded too.
    for (const frame of page.frames()) await frame.evaluate(AXE);
    await noViolations(page, `embed example, ${width} px ${dark ? 'dark' : 'light'}`);
    await page.close();
    // axe itself sets an inline style while it reads the in-page
    // playground's shadow root, which the page's CSP refuses: that one is
    // axe's; anything else is ours.
    assert.deepEqual(errors.filter((e) => !/^Applying inline style violates/.test(e)), []);
  }
});

test('Run and Compare keep focus while they run, and after', async () => {
  const page = await open();
  await page.fill('#speed-input', '10');
  for (const button of ['#run', '#run-compare', '#run-all']) {
    await page.focus(button);
    await page.keyboard.press('Enter');
    // Off while it runs, and still focused.
    await page.waitForFunction((b) => document.querySelector(b).getAttribute('aria-disabled') === 'true', button, { timeout: RUN_MS });
    await focusIs(page, button, `${button} while running`);
    await idle(page);
    await focusIs(page, button, `${button} after the run`);
  }
  // Stop keeps focus too when the run it stopped ends.
  await page.fill('#speed-input', '1');
  await page.click('#run');
  await page.waitForSelector('#live .timeline[data-status=running]');
  await page.focus('#run-stop');
  await page.keyboard.press('Enter');
  await idle(page);
  await focusIs(page, '#run-stop', 'Stop after stopping');
  await page.close();
});

test('removing a task hands focus to its neighbour, the last one to Add task', async () => {
  const page = await open();
  await countIs(page.locator('.task-row'), 5);
  // The third: the next one (now third) takes focus.
  await page.focus('.icon-btn.remove >> nth=2');
  await page.keyboard.press('Enter');
  await countIs(page.locator('.task-row'), 4);
  await focusIs(page, '.task-row:nth-child(3) .icon-btn.remove', 'after removing the third');
  // The last: the one before it.
  await page.focus('.icon-btn.remove >> nth=3');
  await page.keyboard.press('Enter');
  await countIs(page.locator('.task-row'), 3);
  await focusIs(page, '.task-row:nth-child(3) .icon-btn.remove', 'after removing the last');
  for (let left = 2; left >= 0; left--) {
    await page.keyboard.press('Enter');
    await countIs(page.locator('.task-row'), left);
  }
  await focusIs(page, '#add-task', 'after removing every task');
  // Moving keeps focus on the button pressed, even at the end of the list.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await countIs(page.locator('.task-row'), 2);
  await page.focus('.task-row:nth-child(2) .icon-btn.move-up');
  await page.keyboard.press('Enter');
  await focusIs(page, '.task-row:nth-child(1) .icon-btn.move-up', 'after moving a task up');
  await page.close();
});

test('Forget, Clear history and closing Share hand focus on, not to the page', async () => {
  const page = await open();
  await page.fill('#speed-input', '10');
  await runMode(page, 'gathered');
  await runMode(page, 'sequential');
  await countIs(page.locator('.history-run'), 2);
  await page.focus('.history-run:nth-child(1) .remove');
  await page.keyboard.press('Enter');
  await countIs(page.locator('.history-run'), 1);
  await focusIs(page, '.history-run:nth-child(1) .remove', 'after Forget');
  await page.focus('.history .btn.link');
  await page.keyboard.press('Enter');
  await countIs(page.locator('.history-run'), 0);
  await focusIs(page, '#run', 'after Clear history');
  await page.focus('#share');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#share-close');
  await page.focus('#share-close');
  await page.keyboard.press('Enter');
  await countIs(page.locator('#share-close'), 0);
  await focusIs(page, '#share', 'after closing Share');
  await page.close();
});

test('closing a panel leaves focus on its summary', async () => {
  const page = await open();
  await page.fill('#speed-input', '10');
  await runMode(page, 'gathered');
  for (const summary of ['.code-view > summary', '.history > summary', '#live .task-table > summary']) {
    const panel = page.locator(summary);
    await panel.focus();
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('Enter');
      await focusIs(page, summary, `${summary} after toggling`);
    }
  }
  await page.close();
});

test('a skip link leads to the run controls, and Ctrl+Enter runs', async () => {
  const page = await open();
  await page.keyboard.press('Tab');
  await focusIs(page, '.skip-link', 'the first Tab');
  await eventually(async () => {
    const box = await page.locator('.skip-link').boundingBox();
    assert.ok(box && box.width > 20 && box.y >= 0, `the skip link is visible on focus: ${JSON.stringify(box)}`);
  });
  await page.keyboard.press('Enter');
  await focusIs(page, '#run', 'after the skip link');
  await page.fill('#speed-input', '10');
  await page.selectOption('#mode-select', 'gathered');
  await page.focus('.task-label >> nth=0');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#live .timeline-gathered[data-status=finished]', { timeout: RUN_MS });
  await focusIs(page, '.task-label', 'after Ctrl+Enter');
  await page.close();
});

test('at 360 px nothing scrolls sideways, icon buttons are 44 px and the kind is not cut', async () => {
  const page = await open({ width: 360, height: 800 });
  await page.fill('#speed-input', '10');
  await page.click('#run-all');
  await page.waitForSelector('.ranking', { timeout: RUN_MS });
  await idle(page);
  await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; }));
  await page.waitForSelector('.compare-table');
  await eventually(async () => {
    const { scroll, inner } = await page.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: innerWidth }));
    assert.ok(scroll <= inner, `the page is ${scroll} px wide in a ${inner} px window`);
  });
  const small = await page.$$eval('.icon-btn', (all) => all
    .map((b) => b.getBoundingClientRect())
    .filter((r) => r.width > 0 && (r.width < 44 || r.height < 44))
    .map((r) => `${r.width}×${r.height}`));
  assert.deepEqual(small, [], 'icon buttons smaller than 44 px');
  const cut = await page.$$eval('.task-kind', (all) => all
    .filter((s) => {
      // The select's chosen text, measured in its own font, fits its box.
      const probe = document.createElement('span');
      const style = getComputedStyle(s);
      probe.style.font = style.font;
      probe.style.position = 'absolute';
      probe.style.whiteSpace = 'nowrap';
      probe.textContent = s.selectedOptions[0].textContent;
      document.body.append(probe);
      const fits = probe.getBoundingClientRect().width + 24 <= s.clientWidth;
      probe.remove();
      return !fits;
    })
    .map((s) => s.selectedOptions[0].textContent));
  assert.deepEqual(cut, [], 'kind dropdowns cut short');
  await page.screenshot({ path: join(out, 'narrow-360.png'), fullPage: true });
  await page.close();
});

test('Threads, GIL and timeout have help that opens on a click', async () => {
  const page = await open();
  await page.selectOption('.task-kind >> nth=0', 'thread-cpu');
  for (const topic of ['threads', 'gil', 'timeout']) {
    const toggle = page.locator(`.help-${topic} > summary`).first();
    await toggle.click();
    const text = page.locator(`.help-${topic}[open] .help-text`).first();
    await eventually(async () => assert.ok(await text.isVisible(), `${topic} help shows`));
    await textMatches(text, /\w{3,}/);
    await toggle.click();
    await eventually(async () => assert.ok(!(await text.isVisible()), `${topic} help hides`));
  }
  await page.close();
});

/** Presses Tab (Shift+Tab with `back`) until `selector` has focus; fails
 * after `max` presses. Only the keyboard moves; the page is only read. */
async function tabTo(page, selector, { back = false, max = 120 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`${selector} not reached in ${max} Tabs (focus on ${await focused(page)})`);
}

/** Selects the focused field's text and types `text` over it. */
async function retype(page, text) {
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
}

test('keyboard only: compose three tasks, Compare, read the verdict and the first task\'s times', async () => {
  const page = await open();
  await tabTo(page, '#gen-count');
  await retype(page, '3');
  await tabTo(page, '#gen-duration');
  await retype(page, '300');
  await tabTo(page, '#gen-make');
  await page.keyboard.press('Enter');
  await countIs(page.locator('.task-row'), 3);
  await tabTo(page, '.task-row:first-child .task-label', { back: true });
  await retype(page, 'fetch user');
  // Inside the row, the arrows lead on to its duration.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await focusIs(page, '.task-row:first-child .task-duration', 'two arrows from the name');
  await retype(page, '300');
  await tabTo(page, '#speed-input');
  await retype(page, '3');
  await tabTo(page, '#run-compare');
  await page.keyboard.press('Enter');
  // The verdict, as the accessibility tree has it.
  const verdict = await eventually(async () => {
    const tree = await page.locator('.verdict').ariaSnapshot();
    assert.match(tree, /- status:\s+- paragraph:\s+- text: Gathered was\s+- strong: [\d.]+×\s+- text: faster than sequential/, tree);
    return tree;
  }, { timeout: RUN_MS });
  assert.match(verdict, /model predicts/);
  await idle(page);
  await focusIs(page, '#run-compare', 'after Compare');
  // The first task's times: the gathered timeline's Task timings, opened by key.
  await tabTo(page, '.timeline-gathered .task-table > summary');
  await page.keyboard.press('Enter');
  await eventually(async () => {
    const tree = await page.locator('.timeline-gathered .task-table').ariaSnapshot();
    assert.match(tree, /region "Task timings, Gathered"/, tree);
    assert.match(tree, /row "1 fetch user [\d.]+ ms 100 ms ok [\d.]+ ms [\d.]+ ms ok/, tree);
  });
  await page.close();
});

test('one polite live region says the run status, then the verdict, and not every frame', async () => {
  const page = await open();
  await page.fill('#speed-input', '3');
  // Every change of the live region's text, and the most live regions with
  // text in them at any frame of the run.
  await page.evaluate(() => {
    const live = document.querySelector('.results .verdict[aria-live=polite]');
    window.liveTexts = [];
    window.mostLive = 0;
    new MutationObserver(() => {
      const text = live.textContent;
      if (text !== window.liveTexts.at(-1)) window.liveTexts.push(text);
    }).observe(live, { childList: true, subtree: true, characterData: true });
    const regions = '[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]';
    const count = () => {
      const speaking = [...document.querySelectorAll(regions)].filter((r) => r.textContent.trim() !== '');
      window.mostLive = Math.max(window.mostLive, speaking.length);
      requestAnimationFrame(count);
    };
    count();
  });
  await page.click('#run-compare');
  await page.waitForSelector('#speedup', { timeout: RUN_MS });
  await idle(page);
  const { texts, most } = await page.evaluate(() => ({ texts: window.liveTexts, most: window.mostLive }));
  assert.match(texts[0], /^Running Sequential, Gathered next…$/, texts.join('\n'));
  assert.match(texts.at(-1), /^Gathered was [\d.]+× faster than sequential/, texts.join('\n'));
  assert.ok(texts.length <= 4, `the live region changed ${texts.length} times:\n${texts.join('\n')}`);
  assert.equal(most, 1, 'live regions with text at once');
  // "What happened" is a list after the verdict, read in order, not live.
  await page.waitForSelector('.insights li');
  await countIs(page.locator('.insights [aria-live], .insights[aria-live]'), 0, { message: '"What happened" is not live' });
  const order = await page.evaluate(() => {
    const verdict = document.querySelector('.verdict');
    const insights = document.querySelector('.insights ul');
    return verdict.compareDocumentPosition(insights) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  assert.ok(order, '"What happened" comes after the verdict');
  await page.close();
});

test('a task row is one Tab stop: arrows, Home and End move inside it, Tab to the next row', async () => {
  const page = await open();
  await countIs(page.locator('.task-row'), 5);
  const row = (n, control) => `.task-row:nth-child(${n}) ${control}`;
  // From the top of the page, few Tabs reach the fifth task, and End its Remove.
  const tabs = await tabTo(page, row(5, '.task-label'));
  assert.ok(tabs <= 12, `${tabs} Tabs to the fifth task`);
  await page.keyboard.press('End');
  await focusIs(page, row(5, '.icon-btn.remove'), 'End');
  assert.ok(tabs + 1 <= 13, `${tabs + 1} keys to the fifth task's Remove`);
  // Home, then Right walks the fields and the buttons; a text field keeps
  // the keys while its caret can move. Each: the keys, where focus lands.
  const walk = [
    [['Home'], '.task-label', 'Home'],
    [['ArrowRight'], '.task-kind', 'right from the name'],
    [['ArrowRight'], '.task-duration', 'right from the kind'],
    [['ArrowLeft'], '.task-duration', 'left inside the duration (the caret moves)'],
    [['ArrowRight', 'ArrowRight'], '.task-timeout', 'right from the duration'],
    [['ArrowRight'], '.icon-btn.move-up', 'right from the timeout'],
    [['ArrowLeft'], '.task-timeout', 'left back to the timeout'],
  ];
  for (const [keys, control, what] of walk) {
    for (const key of keys) await page.keyboard.press(key);
    await focusIs(page, row(5, control), what);
  }
  // One Tab stop per row: Tab leaves the row, Shift+Tab comes back to the
  // control last used in it.
  await page.focus(row(1, '.icon-btn.duplicate'));
  await page.keyboard.press('Tab');
  await focusIs(page, row(2, '.task-label'), 'Tab from the first row');
  await page.keyboard.press('Shift+Tab');
  await focusIs(page, row(1, '.icon-btn.duplicate'), 'Shift+Tab back to the first row');
  const stops = await page.$$eval('.task-row', (rows) => rows.map((r) => r.querySelectorAll('[tabindex="0"]').length));
  assert.deepEqual(stops, [1, 1, 1, 1, 1]);
  await page.close();
});

/** Runs Compare all at speed 10, waits for it, and opens every panel. */
async function compareAllOpen(page) {
  await page.fill('#speed-input', '10');
  await page.click('#run-all');
  await page.waitForSelector('.ranking', { timeout: RUN_MS });
  await idle(page);
  await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; }));
  await page.waitForSelector('pre.code', { timeout: 20_000 });
  await page.waitForSelector('.compare-table');
}

for (const width of [360, 1440]) {
  test(`at ${width} px, after Compare all with every panel open, nothing scrolls sideways or is cut, and the timeline's card stays in the window`, async () => {
    const page = await open({ width, height: 800 });
    await compareAllOpen(page);
    await eventually(async () => {
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(scroll <= client, `the page is ${scroll} px wide in a ${client} px window`);
    });
    // Text in a box that hides what overflows (or ends it with "…") fits
    // the box. Visually hidden text (1 px boxes) is for screen readers.
    const cut = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((el) => {
        const style = getComputedStyle(el);
        const hides = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
        return hides && el.clientWidth > 1 && el.scrollWidth > el.clientWidth;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.scrollWidth} > ${el.clientWidth} "${el.textContent.slice(0, 40)}"`));
    assert.deepEqual(cut, [], 'text cut short');
    // A menu's chosen option, measured in the menu's font, fits the menu
    // (with room for its arrow).
    const menus = await page.$$eval('select', (all) => all
      .filter((s) => s.clientWidth > 0 && s.selectedOptions.length > 0)
      .filter((s) => {
        const probe = document.createElement('span');
        probe.style.font = getComputedStyle(s).font;
        probe.style.position = 'absolute';
        probe.style.whiteSpace = 'nowrap';
        probe.textContent = s.selectedOptions[0].textContent;
        document.body.append(probe);
        const fits = probe.getBoundingClientRect().width + 24 <= s.clientWidth;
        probe.remove();
        return !fits;
      })
      .map((s) => `${s.id || s.className}: ${s.selectedOptions[0].textContent} in ${s.clientWidth} px`));
    assert.deepEqual(menus, [], 'menus cut short');
    if (width <= 480) {
      // The timeline spans the panel, and its plot most of the timeline.
      const sizes = await page.$$eval('#live .timeline-stack', (all) => all.map((s) => ({
        stack: s.clientWidth,
        panel: s.closest('.panel').clientWidth,
        plot: Number(s.dataset.plotPx),
      })));
      assert.ok(sizes.length >= 7, `${sizes.length} timelines`);
      for (const { stack, panel, plot } of sizes) {
        assert.ok(stack >= panel - 24, `timeline ${stack} px in a ${panel} px panel`);
        assert.ok(plot >= 0.65 * stack, `plot ${plot} px of a ${stack} px timeline`);
      }
    }
    // The card of each task, read by keyboard, is inside the window.
    const stack = page.locator('#live .timeline-stack').first();
    await stack.focus();
    for (let task = 1; task <= 5; task++) {
      await page.keyboard.press('ArrowDown');
      await eventually(async () => {
        const box = await page.locator('#live .task-card').first().boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= width, `task ${task}'s card at ${JSON.stringify(box)}`);
      });
    }
    await page.close();
  });
}

/** Waits until focus has stayed off the page's body for several polls in
 * a row (a render that drops it comes within a few frames). */
async function focusKept(page, what) {
  let steady = 0;
  await eventually(async () => {
    const where = await focused(page);
    if (where === 'body') {
      steady = 0;
      assert.fail(`${what}: focus fell to the page`);
    }
    steady += 1;
    assert.ok(steady >= 8, `${what}: focus on ${where}, watching`);
  }, { interval: 50 });
}

test('no control drops focus to the page when used from the keyboard', async () => {
  const page = await open();
  await page.fill('#speed-input', '10');
  await page.click('#run-compare');
  await page.waitForSelector('#speedup', { timeout: RUN_MS });
  await idle(page);
  await page.$$eval('details', (all) => all.forEach((d) => { d.open = true; }));
  await page.waitForSelector('#code-copy', { timeout: 20_000 });
  /** Focuses `selector` (the first match), presses `key`, and checks focus stays. */
  const use = async (selector, key = 'Enter') => {
    await page.locator(selector).first().focus();
    await page.keyboard.press(key);
    await focusKept(page, `${key} on ${selector}`);
  };
  // Task rows, the editor and the generator.
  await use('.task-row:nth-child(1) .icon-btn.duplicate');
  await use('.task-row:nth-child(1) .icon-btn.move-down');
  await use('.task-row:nth-child(2) .icon-btn.move-up');
  await use('.task-row:nth-child(1) .task-kind', 'ArrowDown');
  await use('#add-task');
  await use('#reset-tasks');
  await use('#gen-make');
  await countIs(page.locator('.task-row'), 20);
  // Run options and help.
  await use('#mode-select', 'ArrowDown');
  await use('.options input[type=checkbox]');
  await use('.options input[type=checkbox]', 'Space');
  for (const help of await page.locator('.help > summary').all()) {
    await help.focus();
    for (const _ of [1, 2]) {
      await page.keyboard.press('Enter');
      await focusKept(page, 'a help toggle');
    }
  }
  // Timelines, code, history, export and share.
  for (const name of ['Zoom in', 'Zoom out', 'Zoom in', 'Show all']) await use(`.zoom-bar button[aria-label="${name}"], .zoom-bar button:text-is("${name}")`);
  for (const tab of ['.code-view [role=tab] >> nth=1', '.code-view [role=tab] >> nth=0', '#code-copy']) await use(tab);
  await use('.history-run input[type=checkbox]', 'Space');
  await use('#export-run', 'ArrowDown');
  await use('#download-trace');
  await use('#download-csv');
  await use('#share');
  await page.waitForSelector('#share-close');
  await use('#share-copy');
  await use('#share-close');
  // A preset, and its step that runs.
  await use('#preset-select', 'ArrowDown');
  await page.waitForSelector('.preset-step', { timeout: 20_000 });
  await use('.preset-step');
  await idle(page);
  await focusKept(page, 'after the preset step ran');
  // The pager's ends: its buttons stay focused when there is no further page.
  await page.fill('#gen-count', '60');
  await use('#gen-make');
  await countIs(page.locator('.task-row'), 25);
  for (const _ of [1, 2, 3]) await use('#page-next');
  await textMatches(page.locator('.page-info'), /^Tasks 51–60 of 60$/);
  for (const _ of [1, 2, 3]) await use('#page-prev');
  await textMatches(page.locator('.page-info'), /^Tasks 1–25 of 60$/);
  await page.close();
});
