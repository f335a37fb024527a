import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, devices, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

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

/** The phone the issue names: 390×844, touch, a mobile user agent (Playwright's iPhone 13 metrics in Chromium). */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: devices['Pixel 7']!.userAgent,
};

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1440, height: 900 } };

/**
 * Imports the CA into `home`/.pki/nssdb with `npm run trust-ca`'s own NSS step (the command run
 * with HOME pointed at `home`, the system store left alone), as a person's first run would.
 */
export function trustCaIn(home: string, caPath: string): string {
  mkdirSync(home, { recursive: true });
  return execFileSync(process.execPath, ['local/tls/trust-ca.ts', '--ca', caPath, '--skip-system'], { env: { ...process.env, HOME: home }, encoding: 'utf8' });
}

/**
 * Headless Chromium with a fresh profile in `home`/profile, run with HOME=`home`: Chromium on
 * Linux reads its certificate authorities from $HOME/.pki/nssdb, so a home where trustCaIn ran
 * trusts the local runtime's CA and one where it did not refuses it. Certificate errors are never
 * ignored. A missing browser fails the test, never skips it.
 */
export async function launchChromium(home: string, options: BrowserContextOptions = DESKTOP): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}; the browser tests need it: apt-get install -y chromium (CI installs it)`);
  }
  mkdirSync(home, { recursive: true });
  return chromium.launchPersistentContext(join(home, 'profile'), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    env: { ...process.env, HOME: home },
    ...options,
  });
}
