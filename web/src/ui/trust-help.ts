import { fill, h } from './dom.ts';

type Browser = 'firefox' | 'chromium' | 'safari';

function browserOf(userAgent: string): Browser {
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrome\/|Chromium\/|Edg\//.test(userAgent)) return 'chromium';
  if (/Safari\//.test(userAgent)) return 'safari';
  return 'chromium';
}

/** Where each browser imports an authority by hand. */
const MANUAL: Record<Browser, { name: string; steps: string }> = {
  chromium: {
    name: 'Chrome, Chromium, Edge',
    steps: 'Settings → Privacy and security → Security → Manage certificates → Authorities (on Linux; "Local certificates" in newer versions) → Import, choose the CA file, tick "Trust this certificate for identifying websites". On Windows and macOS these browsers use the system store.',
  },
  firefox: {
    name: 'Firefox',
    steps: 'Settings → Privacy & Security → Certificates → View Certificates… → Authorities → Import…, choose the CA file, tick "Trust this CA to identify websites". Then restart Firefox.',
  },
  safari: {
    name: 'Safari (macOS)',
    steps: 'Open the CA file in Keychain Access (System keychain), double-click "Pricestream local CA", Trust → "When using this certificate: Always Trust".',
  },
};

/**
 * What to do when the browser refuses the local server's certificate: the one command, and the
 * manual import for this browser first, then the others.
 */
export function showTrustHelp(panel: HTMLElement, userAgent: string = navigator.userAgent): void {
  const browser = browserOf(userAgent);
  const order: Browser[] = [browser, ...(['chromium', 'firefox', 'safari'] as const).filter((b) => b !== browser)];
  panel.hidden = false;
  panel.dataset.problem = 'untrusted';
  fill(
    panel,
    h('h2', {}, 'Live prices cannot connect: this browser does not trust the local server’s certificate'),
    h('p', {}, 'Live prices use ', h('code', {}, 'wss://'), ', signed by the local certificate authority that ', h('code', {}, 'npm start'), ' made; until this browser trusts it, the board shows no prices. Trust it once:'),
    h('ol', {},
      h('li', {}, 'In the project folder, run ', h('code', { class: 'command' }, 'npm run trust-ca'), ' (it adds the CA to the system store and to Chrome’s and Firefox’s certificate stores, and says what it did).'),
      h('li', {}, 'Restart the browser, then reload this page.'),
    ),
    h('details', {},
      h('summary', {}, 'Or import it by hand'),
      h('p', {}, 'The CA file is ', h('code', {}, '.local/tls/ca.pem'), ' in the project folder (or ', h('code', {}, '<state dir>/tls/ca.pem'), ' with ', h('code', {}, '--state-dir'), ').'),
      h('dl', {}, ...order.flatMap((b) => [h('dt', {}, MANUAL[b].name), h('dd', {}, MANUAL[b].steps)])),
    ),
  );
}

/** The server does not answer at all: say so, rather than show a frozen board. */
export function showServerDown(panel: HTMLElement, url: string): void {
  panel.hidden = false;
  panel.dataset.problem = 'unreachable';
  fill(
    panel,
    h('h2', {}, 'The Pricestream server does not answer'),
    h('p', {}, 'Nothing answers at ', h('code', {}, url), '. Start it with ', h('code', { class: 'command' }, 'npm start'), ' and reload this page.'),
  );
}

export function hideLinkHelp(panel: HTMLElement): void {
  panel.hidden = true;
  delete panel.dataset.problem;
  fill(panel);
}
