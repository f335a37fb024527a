import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium: the browser tests drive the system browser, not a downloaded one. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Chromium with a fresh profile in `userDataDir` (Playwright passes it as
 * --user-data-dir). The page's wss:// connection meets the runtime's local CA, which this
 * profile does not trust: the context ignores certificate errors (ignoreHTTPSErrors) rather
 * than importing the CA into an NSS database. A missing browser fails the test, never skips it.
 */
export async function launchChromium(userDataDir: string): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it: apt-get install -y chromium (CI installs it)`);
  }
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    ignoreHTTPSErrors: true,
    viewport: { width: 1400, height: 1000 },
  });
}
