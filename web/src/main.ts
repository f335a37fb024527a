import { createBoardView } from './board/board-view.ts';
import { LIVE, type Freshness } from './board/freshness.ts';
import { LinkTracker, linkOf } from './board/live-status.ts';
import { MarketBook } from './board/market-book.ts';
import { startPriceBoard } from './board/price-board.ts';
import { PriceHistory } from './board/price-history.ts';
import { configureAmplify } from './config.ts';
import { mountTraderConsole } from './console/trader-console.ts';
import { createApi } from './graphql/api.ts';
import { watchConnection } from './graphql/connection.ts';
import { apiErrors, describeError } from './graphql/errors.ts';
import { probeTls } from './graphql/tls-probe.ts';
import { byId, fill, h } from './ui/dom.ts';
import { showLink, type LinkStatus } from './ui/link-indicator.ts';
import { mountTabs } from './ui/tabs.ts';
import { hideLinkHelp, showServerDown, showTrustHelp } from './ui/trust-help.ts';

/** The page: the live price board (anonymous, API key) and the trader console (signed in). */
async function main(): Promise<void> {
  mountTabs(document.body);
  registerServiceWorker();
  const boardErrors = byId('board-errors');
  const linkHelp = byId('link-help');
  const showBoardError = (error: unknown) => fill(boardErrors, ...apiErrors(error).map((e) => h('p', { class: 'error' }, describeError(e))));
  const tracker = new LinkTracker();
  showLink(byId('connection'), byId('staleness'), tracker.status());
  tracker.onChange((status) => showLink(byId('connection'), byId('staleness'), status));

  let outputs;
  try {
    outputs = await configureAmplify();
  } catch (error) {
    tracker.blocked('unreachable');
    showServerDown(linkHelp, location.origin);
    showBoardError(error);
    return;
  }
  const graphqlUrl = outputs.data!.url!;

  const connection = watchConnection();
  const follow = () => tracker.link(linkOf(connection.state(), navigator.onLine));
  connection.onState(follow);
  addEventListener('online', follow);
  addEventListener('offline', follow);

  // A browser that refuses the certificate only ever reports a disrupted connection: ask why.
  void probeTls(graphqlUrl).then((reachability) => {
    if (reachability === 'untrusted') {
      tracker.blocked('untrusted');
      showTrustHelp(linkHelp);
    } else if (reachability === 'unreachable') {
      tracker.blocked('unreachable');
      showServerDown(linkHelp, graphqlUrl);
    } else if (linkHelp.dataset.problem) {
      hideLinkHelp(linkHelp);
    }
  });

  const api = createApi();
  const book = new MarketBook();
  const history = new PriceHistory();
  const view = createBoardView(byId('events'), history);
  const markFreshness = (status: LinkStatus) => {
    const freshness = freshnessOf(status);
    for (const market of book.markets()) view.setFreshness(market.id, freshness);
  };
  tracker.onChange(markFreshness);
  try {
    const board = await startPriceBoard({ api, book, history, view, connection, onError: showBoardError, onCatchingUp: (running) => tracker.catchingUp(running) });
    markFreshness(tracker.status());
    // Back in the foreground (a phone's tab switch, a laptop's lid): timers and sockets may have
    // slept, so whatever was published meanwhile is read again.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void board.catchUp();
    });
    addEventListener('pageshow', (event) => {
      if (event.persisted) void board.catchUp();
    });
  } catch (error) {
    showBoardError(error);
  }
  await mountTraderConsole(byId('console-body'), { api, book, connection });
}

/** One freshness for every market while the page knows only the connection's state. */
function freshnessOf(status: LinkStatus): Freshness {
  if (status.staleSince) return { state: 'stale', since: status.staleSince };
  if (status.link !== 'live' || status.catchingUp) return { state: 'catching-up', since: new Date().toISOString() };
  return LIVE;
}

/** The app shell's service worker (web/sw.js): installable, and the shell opens without the network. */
function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('sw.js', { scope: './' }).catch((error: Error) => console.warn(`service worker not registered: ${error.message}`));
}

void main();
