// The tutorial page's side of the embedding protocol (README, "Embed"):
// show the results both playgrounds report, and run the iframe from a
// button on this page. (embed.js sizes the iframe to its content.)
const frame = document.querySelector('iframe.playground-frame');
const frameOrigin = new URL(frame.src, location.href).origin;
const log = document.getElementById('result-log');

function logResult(where, m) {
  const item = document.createElement('li');
  const wall = m.wall_ms == null ? 'stopped' : `${Math.round(m.wall_ms)} ms`;
  item.textContent = `${where}: ${m.mode}, ${m.tasks.length} tasks, ${wall} (model: ${Math.round(m.predicted_ms)} ms)${m.throttled ? ', throttled' : ''}`;
  item.dataset.mode = m.mode;
  item.dataset.where = where;
  log.append(item);
}

window.addEventListener('message', (event) => {
  // Only the playground's frame, only well-shaped messages.
  if (event.source !== frame.contentWindow || event.origin !== frameOrigin) return;
  const m = event.data;
  if (!m || typeof m !== 'object' || m.v !== 1) return;
  if (m.type === 'async-playground:result' && Array.isArray(m.tasks)) {
    logResult('iframe', m);
  }
});

// In-page playgrounds announce their runs as a bubbling DOM event.
document.addEventListener('async-playground:result', (event) => logResult('in-page', event.detail));

document.getElementById('run-frame').addEventListener('click', () => {
  frame.contentWindow.postMessage({ type: 'async-playground:run', v: 1, mode: 'gathered' }, frameOrigin);
});
