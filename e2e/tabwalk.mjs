import { serveDist } from './serve.mjs';
import { launch } from './browser.mjs';
const server = await serveDist(new URL('../dist', import.meta.url).pathname);
const context = await launch();
const page = await context.newPage();
await page.goto(server.url + (process.argv[2] ?? ''));
await page.waitForSelector('.task-row');
const seen = [];
for (let i = 0; i < 80; i++) {
  await page.keyboard.press('Tab');
  const info = await page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const lab = e.labels && e.labels.length ? [...e.labels].map(l => l.textContent.trim()).join('|') : '';
    const name = e.getAttribute('aria-label') || lab || e.getAttribute('title') || e.textContent.trim().slice(0, 40);
    const cs = getComputedStyle(e);
    return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.type ? '[' + e.type + ']' : ''} name="${name}" outline=${cs.outlineStyle}`;
  });
  if (!info) break;
  seen.push(info);
}
console.log(seen.join('\n'));
await context.close(); server.close();
