// Launches Debian's Chromium through playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The shared browser: one persistent profile for every test. */
export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ap-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ARGS,
  });
}

/** A browser of its own (fresh profile), for a test whose page may hang:
 * closing it ends every process it started, whatever its pages do. */
export async function launchIsolated() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}
