import { createBoardView } from './board/board-view.ts';
import { linkOf, startLiveBoard } from './board/live-board.ts';
import { MarketBook } from './board/market-book.ts';
import { PriceHistory } from './board/price-history.ts';
import { configureAmplify } from './config.ts';
import { mountTraderConsole } from './console/trader-console.ts';
import { createApi } from './graphql/api.ts';
import { watchConnection } from './graphql/connection.ts';
import { apiErrors, describeError } from './graphql/errors.ts';
import { probeTls } from './graphql/tls-probe.ts';
import { byId, fill, h } from './ui/dom.ts';
import { showLink } from './ui/link-indicator.ts';
import { mountTabs } from './ui/tabs.ts';
import { hideLinkHelp, showServerDown, showTrustHelp } from './ui/trust-help.ts';

/**
 * The page: the live price board (anonymous, API key, from sdk/live-markets) and the trader
 * console (signed in).
 */
async function main(): Promise<void> {
  mountTabs(document.body);
  registerServiceWorker();
  const boardErrors = byId('board-errors');
  const linkHelp = byId('link-help');
  const badge = byId('connection');
  const staleness = byId('staleness');
  const showBoardError = (error: unknown) => fill(boardErrors, ...apiErrors(error).map((e) => h('p', { class: 'error' }, describeError(e))));

  let outputs;
  try {
    outputs = await configureAmplify();
  } catch (error) {
    showLink(badge, staleness, { link: 'unreachable' });
    showServerDown(linkHelp, location.origin);
    showBoardError(error);
    return;
  }
  const graphqlUrl = outputs.data!.url!;
  const connection = watchConnection();

  // A browser that refuses the certificate only ever reports a disrupted connection: ask why.
  let blocked: 'untrusted' | 'unreachable' | undefined;
  void probeTls(graphqlUrl).then((reachability) => {
    if (reachability === 'untrusted') {
      showTrustHelp(linkHelp);
      if (book.events().length === 0) fill(byId('events'), h('p', { class: 'muted' }, 'No prices until this browser trusts the local certificate (see above).'));
    }
    else if (reachability === 'unreachable') showServerDown(linkHelp, graphqlUrl);
    else hideLinkHelp(linkHelp);
    blocked = reachability === 'ok' ? undefined : reachability;
    board.refresh();
  });

  const api = createApi();
  const book = new MarketBook();
  const history = new PriceHistory();
  const view = createBoardView(byId('events'), history);
  const board = startLiveBoard({
    api,
    book,
    history,
    view,
    onConnection: (status) => {
      showLink(badge, staleness, linkOf(status, blocked));
      // The console's own subscription (jobs) shares Amplify's one socket: while the library
      // replaces a dead one, it lets go too, or the dead socket would be kept open.
      connection.hold(status.kind !== 'live');
    },
  });
  addEventListener('pageshow', (event) => {
    if (event.persisted) board.live.resume();
  });
  addEventListener('online', () => board.live.resume());

  await mountTraderConsole(byId('console-body'), { api, book, connection });
}

/** The app shell's service worker (web/sw.js): installable, and the shell opens without the network. */
function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('sw.js', { scope: './' }).catch((error: Error) => console.warn(`service worker not registered: ${error.message}`));
}

void main();
