// Ad-hoc: fill the history with big runs, then CPU-profile a sequential 20 x 50 ms run.
import { serveDist } from './serve.mjs';
import { launch } from './browser.mjs';
const server = await serveDist(new URL('../dist', import.meta.url).pathname);
const context = await launch();
const page = await context.newPage();
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
page.on('pageerror', (e) => console.log('pageerror', String(e)));
await page.goto(server.url);
await page.waitForSelector('.task-row');
async function gen(n, ms) { await page.fill('#gen-count', String(n)); await page.fill('#gen-duration', String(ms)); await page.click('#gen-make'); await page.waitForTimeout(300); }
async function run(mode) {
  await page.selectOption('#mode-select', mode);
  const before = await page.$$eval('.result-row', (r) => r.length);
  await page.click('#run');
  await page.waitForSelector(`#live .timeline-${mode}[data-status=finished]`, { timeout: 60000 });
  await page.waitForTimeout(200);
  return Number(await page.getAttribute(`.result-row.mode-${mode}`, 'data-wall-ms'));
}
const big = Number(process.argv[2] ?? 3);
await gen(10000, 100);
for (let i = 0; i < big; i++) console.log('big run', await run('gathered'));
await gen(20, 50);
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
console.log('seq wall', await run('sequential'));
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; let total = 0;
profile.samples.forEach((id, i) => { const n = byId.get(id); const k = n.callFrame.functionName || n.callFrame.url.split('/').pop() || '(anon)'; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)); total += dt[i] ?? 0; });
console.log('total ms', (total / 1000).toFixed(0));
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(1)}ms ${k.slice(0, 140)}`).join('\n'));
await context.close(); server.close();
