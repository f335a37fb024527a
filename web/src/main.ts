import { createBoardView } from './board/board-view.ts';
import { linkOf, pageLink } from './board/live-status.ts';
import { MarketBook } from './board/market-book.ts';
import { startPriceBoard, type PriceBoard } from './board/price-board.ts';
import { PriceHistory } from './board/price-history.ts';
import { configureAmplify } from './config.ts';
import { mountTraderConsole } from './console/trader-console.ts';
import { createApi } from './graphql/api.ts';
import { watchConnection, type ConnectionWatch } from './graphql/connection.ts';
import { apiErrors, describeError } from './graphql/errors.ts';
import { probeTls } from './graphql/tls-probe.ts';
import { byId, fill, h } from './ui/dom.ts';
import { showLink } from './ui/link-indicator.ts';
import { mountTabs } from './ui/tabs.ts';
import { hideLinkHelp, showServerDown, showTrustHelp } from './ui/trust-help.ts';

/** How often the page re-judges each market's freshness and the link. */
const TICK_MS = 250;
/** While the real-time link is down, prices are read over HTTP this often (so they stay current, or visibly stale); one request for every market. */
const POLL_MS = 500;
/** A forced reconnection gets this long to connect and hear a heartbeat before the next. */
const RESTART_EVERY_MS = 10_000;
/** How long a link may be connecting before the page opens a new one itself (a slow link's handshakes take seconds). */
const CONNECT_GRACE_MS = 6_000;

/** The page: the live price board (anonymous, API key) and the trader console (signed in). */
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
    if (reachability === 'untrusted') showTrustHelp(linkHelp);
    else if (reachability === 'unreachable') showServerDown(linkHelp, graphqlUrl);
    else hideLinkHelp(linkHelp);
    blocked = reachability === 'ok' ? undefined : reachability;
  });

  const api = createApi();
  const book = new MarketBook();
  const history = new PriceHistory();
  const view = createBoardView(byId('events'), history);
  let catchingUp = false;
  let board: PriceBoard;
  try {
    board = await startPriceBoard({ api, book, history, view, connection, onError: showBoardError, onCatchingUp: (running) => (catchingUp = running) });
  } catch (error) {
    showLink(badge, staleness, { link: blocked ?? 'unreachable' });
    showBoardError(error);
    return;
  }

  const recovery = { lastPoll: 0, lastRestart: 0, notLiveSince: undefined as number | undefined };
  const tick = () => {
    const now = Date.now();
    let staleSince: string | undefined;
    for (const market of book.markets()) {
      const freshness = board.freshness.freshness(market.id, now);
      view.setFreshness(market.id, freshness);
      if (freshness.state === 'stale' && (!staleSince || freshness.since < staleSince)) staleSince = freshness.since;
    }
    const silent = board.freshness.linkDead(now);
    const status = pageLink({ amplify: linkOf(connection.state(), navigator.onLine), silent, blocked, staleSince, catchingUp });
    showLink(badge, staleness, status);
    if (status.link === 'live') recovery.notLiveSince = undefined;
    else {
      recovery.notLiveSince ??= now;
      recover(board, connection, recovery, now, blocked === undefined);
    }
  };
  setInterval(tick, TICK_MS);
  tick();

  // Back in the foreground (a phone's tab switch, a laptop's lid): timers and sockets may have
  // slept, so whatever was published meanwhile is read again, and a silent link replaced.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    void board.catchUp();
    if (board.freshness.linkDead(Date.now())) void connection.restart();
  });
  addEventListener('pageshow', (event) => {
    if (event.persisted) void board.catchUp();
  });
  addEventListener('online', () => void board.catchUp());

  await mountTraderConsole(byId('console-body'), { api, book, connection });
}

/**
 * While the real-time link is not live: read the prices over HTTP every POLL_MS (the board then
 * shows the server's state as soon as the network answers, whatever the WebSocket does), and once
 * HTTP answers, open a new real-time connection rather than wait for Amplify's own retry, which
 * after a silent death or a long outage comes a minute or more later.
 */
function recover(board: PriceBoard, connection: ConnectionWatch, recovery: { lastPoll: number; lastRestart: number; notLiveSince?: number | undefined }, now: number, mayRestart: boolean): void {
  if (now - recovery.lastPoll < POLL_MS) return;
  recovery.lastPoll = now;
  void board.readNow().then((answered) => {
    const since = recovery.notLiveSince;
    // A connection being made (the first, or Amplify's own retry on a slow link) gets its time.
    if (!answered || !mayRestart || since === undefined || Date.now() - since < CONNECT_GRACE_MS || Date.now() - recovery.lastRestart < RESTART_EVERY_MS) return;
    recovery.lastRestart = Date.now();
    void connection.restart();
  });
}

/** The app shell's service worker (web/sw.js): installable, and the shell opens without the network. */
function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('sw.js', { scope: './' }).catch((error: Error) => console.warn(`service worker not registered: ${error.message}`));
}

void main();
