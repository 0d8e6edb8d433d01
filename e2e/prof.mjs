// Ad-hoc: trace a 1,000-task gathered run and sum what long frames spend.
import { serveDist } from './serve.mjs';
import { launch } from './browser.mjs';
const server = await serveDist(new URL('../dist', import.meta.url).pathname);
const context = await launch();
const page = await context.newPage();
await page.goto(server.url);
await page.waitForSelector('.task-row');
const n = Number(process.argv[2] ?? 1000);
await page.fill('#gen-count', String(n));
await page.fill('#gen-duration', '2000');
await page.click('#gen-make');
await page.waitForTimeout(500);
const cdp = await context.newCDPSession(page);
const events = [];
cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
const done = new Promise((r) => cdp.on('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing', transferMode: 'ReportEvents' });
await page.evaluate(() => { window.__f = []; let l = performance.now(); const t = (x) => { window.__f.push(x - l); l = x; if (!window.__s) requestAnimationFrame(t); }; requestAnimationFrame(t); });
await page.click('#run');
await page.waitForSelector('#live .timeline-gathered[data-status=finished]', { timeout: 60000 });
const frames = await page.evaluate(() => { window.__s = true; return window.__f.slice(2); });
await cdp.send('Tracing.end');
await done;
frames.sort((a, b) => a - b);
console.log('frames', frames.length, 'p50', frames[Math.floor(frames.length * 0.5)], 'p95', frames[Math.floor(frames.length * 0.95)], 'max', frames.at(-1));
// Main-thread tasks longer than 12 ms, with their biggest children.
const main = events.filter((e) => e.ph === 'X' && e.dur);
const tasks = main.filter((e) => e.name === 'RunTask' && e.dur > 12000);
console.log('long tasks', tasks.length);
const agg = new Map();
for (const t of tasks) {
  for (const e of main) {
    if (e.tid === t.tid && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t && e.name !== 'RunTask') {
      agg.set(e.name, (agg.get(e.name) ?? 0) + e.dur);
    }
  }
}
console.log([...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}ms`).join('\n'));
console.log('long task durations', tasks.map((t) => (t.dur / 1000).toFixed(1)).join(' '));
await context.close(); server.close();
