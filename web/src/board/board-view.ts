import { fill, h } from '../ui/dom.ts';
import { formatAmerican, formatDecimal, formatPercent, formatTime } from '../ui/format.ts';
import type { EventView, MarketView, PriceChange, SelectionView } from './market-book.ts';

export interface BoardView {
  /** Draws every event and market afresh. */
  render(events: readonly EventView[]): void;
  /** Redraws one market; the selections in `changes` flash up or down. */
  update(market: MarketView, changes: PriceChange[]): void;
}

/**
 * The price board's DOM. Markets carry data attributes (`data-market-id`, `data-version`,
 * `data-price-version`, `data-status`) and selections `data-selection-id`, so that tests and
 * styles find them without depending on text.
 */
export function createBoardView(container: HTMLElement): BoardView {
  const cards = new Map<string, HTMLElement>();

  function render(events: readonly EventView[]): void {
    cards.clear();
    if (events.length === 0) {
      fill(container, h('p', { class: 'muted' }, 'No events yet. The demo feed (npm start) creates one.'));
      return;
    }
    const ordered = [...events].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
    fill(
      container,
      ...ordered.map((event) =>
        h(
          'section',
          { class: 'event', 'data-event-id': event.id },
          h('h3', {}, event.name),
          h('p', { class: 'meta' }, `${event.sport} · ${new Date(event.startTime).toLocaleString()} · ${event.status}`),
          h('div', { class: 'markets' }, ...event.markets.map((market) => {
            const card = h('article', { class: 'market' });
            cards.set(market.id, card);
            drawMarket(card, market, []);
            return card;
          })),
        ),
      ),
    );
  }

  function update(market: MarketView, changes: PriceChange[]): void {
    const card = cards.get(market.id);
    if (card) drawMarket(card, market, changes);
  }

  return { render, update };
}

function drawMarket(card: HTMLElement, market: MarketView, changes: PriceChange[]): void {
  card.dataset.marketId = market.id;
  card.dataset.status = market.status;
  card.dataset.version = String(market.version);
  card.dataset.priceVersion = String(market.priceVersion);
  const flashes = new Map(changes.map((c) => [c.selectionId, c.direction]));
  const book = bookPercentage(market.selections);
  fill(
    card,
    h('header', {}, h('h4', {}, market.name), h('span', { class: `badge status-${market.status}` }, market.status)),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'margin' }, `margin ${formatPercent(market.pricedMargin)}`),
      book === undefined ? null : h('span', { class: 'book', title: 'sum of the implied probabilities (overround)' }, `book ${formatPercent(book)}`),
      h('span', { class: 'version' }, `v${market.priceVersion || market.version}`),
      market.source && market.publishedAt ? h('span', { class: 'source' }, `${market.source} ${formatTime(market.publishedAt)}`) : null,
    ),
    h(
      'table',
      { class: 'prices' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Selection'), h('th', { scope: 'col' }, 'Decimal'), h('th', { scope: 'col' }, 'Fractional'), h('th', { scope: 'col' }, 'American'), h('th', { scope: 'col' }, 'Implied'))),
      h('tbody', {}, ...market.selections.map((selection) => selectionRow(selection, flashes.get(selection.id)))),
    ),
  );
}

function selectionRow(selection: SelectionView, flash: 'up' | 'down' | undefined): HTMLTableRowElement {
  const price = selection.price;
  const row = h(
    'tr',
    { 'data-selection-id': selection.id, class: flash ? `flash-${flash}` : null },
    h('th', { scope: 'row' }, selection.name),
    h('td', { class: 'decimal' }, price ? formatDecimal(price.decimal) : '—'),
    h('td', { class: 'fractional' }, price ? price.fractional : '—'),
    h('td', { class: 'american' }, price ? formatAmerican(price.american) : '—'),
    h('td', { class: 'implied' }, price ? formatPercent(price.impliedProbability) : '—'),
  );
  row.addEventListener('animationend', () => row.classList.remove('flash-up', 'flash-down'));
  return row;
}

/** The book's overround: the implied probabilities summed, once every selection is priced. */
function bookPercentage(selections: SelectionView[]): number | undefined {
  if (selections.length === 0 || selections.some((s) => !s.price)) return undefined;
  return selections.reduce((sum, s) => sum + s.price!.impliedProbability, 0);
}
