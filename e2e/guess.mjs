// "Guess before you run" (issue 13) in real Chromium: a run waits for the
// guess, the guess is set beside the model and the measurement afterwards,
// a preset asks its own question, and the tally survives a reload. The
// scoring and the sentences are checked natively (tests/domain_guess.rs).
//
// Imported by e2e.mjs; `node --test guess.mjs` runs only these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { open, out, countIs, textMatches, eventually, savedWhen, valueIs } from './harness.mjs';

test('a guess is asked for first, then set beside the model and the measurement, and tallied across a reload', async () => {
  const page = await open();
  await page.check('#guess-on');
  await textMatches(page.locator('.guess-form legend'), /How long will a “Gathered” run take/);
  // No guess yet: Run says what to do and does not run.
  await page.click('#run');
  await textMatches(page.locator('.notice'), /Type your guess of the total time first/);
  await countIs(page.locator('#live .timeline'), 0, { message: 'nothing ran' });
  // The default scenario's waits add up to more than the longest: guess the sum.
  await page.fill('#guess-total', '2050');
  await page.selectOption('#guess-first', { index: 1 });
  await page.keyboard.press('Control+Enter');
  await countIs(page.locator('#live .timeline[data-status=finished]'), 1, { timeout: 30_000 });
  const result = page.locator('.guess-result');
  await textMatches(result, /You guessed 2050 ms, the model predicted 6\d\d ms, and the run measured \d+ ms\./);
  await textMatches(result, /You added the tasks up \(20\d\d ms\), but they overlapped/);
  await textMatches(result, /(did finish first, as you said|to finish first; .+ did)\./);
  await textMatches(result, /Your guesses so far: 1 guess, 0 within 10% of the measured time; first to finish right [01] of 1\./);
  // The form is cleared for the next guess.
  await valueIs(page.locator('#guess-total'), '');
  // Styled at full width too (not only under a narrow-screen @media).
  await eventually(async () => assert.equal(
    await page.$eval('.guess-result', (e) => getComputedStyle(e).borderLeftWidth), '4px'));
  await page.screenshot({ path: join(out, 'guess-1440.png'), fullPage: true });
  const saved = await savedWhen(page, (s) => assert.equal(s.guesses?.made, 1));
  assert.equal(saved.guesses.close, 0);
  await page.reload();
  await page.waitForSelector('.task-row');
  await page.check('#guess-on');
  await page.fill('#guess-total', '600');
  await page.click('#run');
  await textMatches(page.locator('.guess-result'), /Your guesses so far: 2 guesses, [12] within 10%/, { timeout: 30_000 });
  await page.close();
});

test('a preset asks its own question, and a stopped run is not scored', async () => {
  const page = await open({ width: 360, height: 800 });
  await page.selectOption('#preset-select', 'thread-pool');
  await page.check('#guess-on');
  await textMatches(page.locator('.guess-form legend'), /Five 500 ms blocking calls share 3 threads/);
  await page.fill('#guess-total', '1000');
  await page.click('#run');
  await page.waitForSelector('#live .timeline');
  await page.click('#run-stop');
  await textMatches(page.locator('.guess-result'), /the run was not finished, so it was not scored/);
  await eventually(async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `nothing scrolls sideways (${width} px)`);
  });
  await page.screenshot({ path: join(out, 'guess-360.png'), fullPage: true });
  await page.close();
});
