import { fill, h } from '../ui/dom.ts';
import { formatAmerican, formatDecimal, formatPercent, formatStatus, formatTime } from '../ui/format.ts';
import { orderEvents } from './event-order.ts';
import { isBettable, LIVE, type Freshness } from './freshness.ts';
import type { EventView, MarketView, PriceChange, SelectionView } from './market-book.ts';
import { priceChart, sparkline } from './price-chart.ts';
import type { PriceHistory } from './price-history.ts';

export interface BoardView {
  /** Draws every event and market afresh. */
  render(events: readonly EventView[]): void;
  /** Redraws one market; the selections in `changes` flash up or down (only while it can be bet on). */
  update(market: MarketView, changes: PriceChange[]): void;
  /** Marks a market's prices live, catching up or stale, without redrawing them. */
  setFreshness(marketId: string, freshness: Freshness): void;
}

interface Card {
  element: HTMLElement;
  market: MarketView;
  freshness: Freshness;
  /** The selection whose larger chart is open, if any. */
  charted: string | undefined;
}

/**
 * The price board's DOM. Markets carry data attributes (`data-market-id`, `data-version`,
 * `data-price-version`, `data-status`, `data-freshness`, `data-bettable`) and selections
 * `data-selection-id`, so that tests and styles find them without depending on text.
 */
export function createBoardView(container: HTMLElement, history: PriceHistory): BoardView {
  const cards = new Map<string, Card>();

  function render(events: readonly EventView[]): void {
    const previous = new Map(cards);
    cards.clear();
    if (events.length === 0) {
      fill(container, h('p', { class: 'muted' }, 'No events yet. The demo feed (npm start) creates one.'));
      return;
    }
    fill(
      container,
      ...orderEvents(events).map((event) =>
        h(
          'section',
          { class: 'event', 'data-event-id': event.id, 'data-event-status': event.status },
          h(
            'header',
            { class: 'event-head' },
            h('h3', {}, event.name),
            h('span', { class: `event-status event-${event.status}` }, formatStatus(event.status)),
            h('span', { class: 'meta' }, `${event.sport} · ${new Date(event.startTime).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`),
          ),
          h('div', { class: 'markets' }, ...event.markets.map((market) => {
            const before = previous.get(market.id);
            const card: Card = { element: h('article', { class: 'market' }), market, freshness: before?.freshness ?? LIVE, charted: before?.charted };
            cards.set(market.id, card);
            draw(card, []);
            return card.element;
          })),
        ),
      ),
    );
  }

  function draw(card: Card, changes: PriceChange[]): void {
    const { element, market, freshness } = card;
    const bettable = isBettable(market.status, freshness);
    element.dataset.marketId = market.id;
    element.dataset.status = market.status;
    element.dataset.version = String(market.version);
    element.dataset.priceVersion = String(market.priceVersion);
    markFreshness(element, freshness, bettable);
    const flashes = bettable ? new Map(changes.map((c) => [c.selectionId, c.direction])) : new Map<string, 'up' | 'down'>();
    const book = bookPercentage(market.selections);
    const toggle = (selectionId: string) => {
      card.charted = card.charted === selectionId ? undefined : selectionId;
      draw(card, []);
    };
    fill(
      element,
      h('header', {}, h('h4', {}, market.name), h('span', { class: `badge status-${market.status}` }, market.status)),
      h(
        'p',
        { class: 'meta' },
        h('span', { class: 'margin' }, `margin ${formatPercent(market.pricedMargin)}`),
        book === undefined ? null : h('span', { class: 'book', title: 'sum of the implied probabilities (overround)' }, `book ${formatPercent(book)}`),
        h('span', { class: 'version' }, `v${market.priceVersion || market.version}`),
        market.source && market.publishedAt ? h('span', { class: 'source' }, `${market.source} ${formatTime(market.publishedAt)}`) : null,
      ),
      notice(market, freshness),
      h(
        'table',
        { class: 'prices' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Selection'),
            h('th', { scope: 'col', class: 'decimal' }, 'Decimal'),
            h('th', { scope: 'col', class: 'fractional' }, 'Fractional'),
            h('th', { scope: 'col', class: 'american' }, 'American'),
            h('th', { scope: 'col', class: 'implied' }, 'Implied'),
            h('th', { scope: 'col', class: 'trend' }, 'Trend'),
          ),
        ),
        h('tbody', {}, ...market.selections.map((selection) => selectionRow(market, selection, flashes.get(selection.id), history, card.charted === selection.id, toggle))),
      ),
      chartPanel(market, card.charted, history, () => toggle(card.charted!)),
    );
  }

  function update(market: MarketView, changes: PriceChange[]): void {
    const card = cards.get(market.id);
    if (!card) return;
    card.market = market;
    draw(card, changes);
  }

  function setFreshness(marketId: string, freshness: Freshness): void {
    const card = cards.get(marketId);
    if (!card) return;
    const was = card.freshness;
    card.freshness = freshness;
    if (was.state !== freshness.state || ('since' in was && 'since' in freshness && was.since !== freshness.since)) draw(card, []);
  }

  return { render, update, setFreshness };
}

function markFreshness(element: HTMLElement, freshness: Freshness, bettable: boolean): void {
  element.dataset.freshness = freshness.state;
  element.dataset.bettable = String(bettable);
  if (freshness.state === 'live') delete element.dataset.staleSince;
  else element.dataset.staleSince = freshness.since;
}

/** Why a market cannot be bet on, said where the prices are. */
function notice(market: MarketView, freshness: Freshness): HTMLElement | null {
  if (market.status === 'SUSPENDED') return h('p', { class: 'notice notice-suspended' }, 'Suspended — betting paused');
  if (market.status === 'CLOSED') return h('p', { class: 'notice notice-closed' }, 'Closed — no more bets');
  if (market.status === 'SETTLED') return h('p', { class: 'notice notice-settled' }, 'Settled — result final');
  if (freshness.state === 'stale') return h('p', { class: 'notice notice-stale', role: 'status' }, `Prices stale since ${formatTime(freshness.since)}`);
  if (freshness.state === 'catching-up') return h('p', { class: 'notice notice-catching-up', role: 'status' }, 'Catching up…');
  return null;
}

function selectionRow(
  market: MarketView,
  selection: SelectionView,
  flash: 'up' | 'down' | undefined,
  history: PriceHistory,
  charted: boolean,
  toggle: (selectionId: string) => void,
): HTMLTableRowElement {
  const price = selection.price;
  const row = h(
    'tr',
    { 'data-selection-id': selection.id, class: [flash ? `flash-${flash}` : '', charted ? 'charted' : ''].join(' ').trim() || null },
    h('th', { scope: 'row', title: selection.name }, selection.name),
    h('td', { class: 'decimal' }, price ? formatDecimal(price.decimal) : '—'),
    h('td', { class: 'fractional' }, price ? price.fractional : '—'),
    h('td', { class: 'american' }, price ? formatAmerican(price.american) : '—'),
    h('td', { class: 'implied' }, price ? formatPercent(price.impliedProbability) : '—'),
    h(
      'td',
      { class: 'trend' },
      h(
        'button',
        { type: 'button', class: 'spark-button', 'aria-expanded': String(charted), 'aria-label': `Price history of ${selection.name}`, onclick: () => toggle(selection.id) },
        sparkline(history.points(market.id, selection.id)),
      ),
    ),
  );
  row.addEventListener('animationend', () => row.classList.remove('flash-up', 'flash-down'));
  return row;
}

function chartPanel(market: MarketView, selectionId: string | undefined, history: PriceHistory, close: () => void): HTMLElement | null {
  const selection = market.selections.find((s) => s.id === selectionId);
  if (!selection) return null;
  const points = history.points(market.id, selection.id);
  const price = selection.price;
  return h(
    'div',
    { class: 'chart-panel', 'data-selection-id': selection.id },
    h(
      'div',
      { class: 'chart-head' },
      h('strong', {}, selection.name),
      price ? h('span', { class: 'muted' }, `${formatDecimal(price.decimal)} · ${price.fractional} · ${formatAmerican(price.american)} · ${formatPercent(price.impliedProbability)}`) : null,
      h('button', { type: 'button', class: 'close-chart', 'aria-label': 'Close the chart', onclick: close }, '×'),
    ),
    priceChart(points, `${selection.name}: decimal price over the last ${points.length} published versions`),
  );
}

/** The book's overround: the implied probabilities summed, once every selection is priced. */
function bookPercentage(selections: SelectionView[]): number | undefined {
  if (selections.length === 0 || selections.some((s) => !s.price)) return undefined;
  return selections.reduce((sum, s) => sum + s.price!.impliedProbability, 0);
}
