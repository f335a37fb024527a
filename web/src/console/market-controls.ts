import type { MarketStatus } from '../../../schema/generated/types.ts';
import type { MarketBook, MarketFields, MarketView } from '../board/market-book.ts';
import type { Api } from '../graphql/api.ts';
import { apiErrors, describeError, versionConflict } from '../graphql/errors.ts';
import { SET_MARGIN, SET_MARKET_STATUS } from '../graphql/operations.ts';
import { orderEvents } from '../board/event-order.ts';
import { fill, h } from '../ui/dom.ts';
import { formatPercent, formatStatus } from '../ui/format.ts';

/** The statuses a trader sets directly; SETTLED comes from a SETTLE_MARKET job. */
const TRADER_STATUSES: readonly MarketStatus[] = ['OPEN', 'SUSPENDED', 'CLOSED'];

type MarketResult = Pick<MarketFields, 'id' | 'version' | 'margin' | 'status'>;

type Change = { kind: 'margin'; margin: number } | { kind: 'status'; status: MarketStatus };

/**
 * setMargin / setMarketStatus for every market on the board, with optimistic concurrency: each
 * change sends the version the trader sees (kept current by the live prices) as expectedVersion.
 * When the market moved on meanwhile, the conflict says where it is now and offers the same change
 * again at that version.
 */
export function mountMarketControls(root: HTMLElement, api: Api, book: MarketBook): { stop(): void } {
  const blocks = new Map<string, { refresh(market: MarketView): void }>();
  // Grouped under their event: two events each have a "Match result".
  fill(
    root,
    ...orderEvents(book.events()).map((event) =>
      h(
        'section',
        { class: 'control-event', 'data-event-id': event.id },
        h('h4', {}, event.name, ' ', h('span', { class: `event-status event-${event.status}` }, formatStatus(event.status))),
        ...event.markets.map((market) => {
          const block = marketBlock(market, event.name);
          blocks.set(market.id, block);
          return block.element;
        }),
      ),
    ),
  );
  const stopBook = book.onChange((market) => blocks.get(market.id)?.refresh(market));
  return { stop: stopBook };

  function marketBlock(market: MarketView, eventName: string) {
    const state = h('span', { class: 'control-state' });
    const marginInput = h('input', { name: 'margin', type: 'number', min: 0, max: 99.9, step: 0.1, required: true });
    const statusSelect = h('select', { name: 'status' }, ...TRADER_STATUSES.map((status) => h('option', { value: status }, status)));
    const outcome = h('div', { class: 'outcome', role: 'status', 'aria-live': 'polite' });
    const buttons: HTMLButtonElement[] = [];
    // A field the trader has typed into keeps their value; the others follow the market.
    for (const field of [marginInput, statusSelect]) field.addEventListener('input', () => (field.dataset.edited = 'true'));

    const marginForm = h(
      'form',
      { class: 'margin-form', onsubmit: (event) => submit(event, { kind: 'margin', margin: Math.round(Number(marginInput.value) * 10_000) / 1_000_000 }) },
      h('label', {}, 'Margin % ', marginInput),
      buttonOf('Set margin'),
    );
    const statusForm = h(
      'form',
      { class: 'status-form', onsubmit: (event) => submit(event, { kind: 'status', status: statusSelect.value as MarketStatus }) },
      h('label', {}, 'Status ', statusSelect),
      buttonOf('Set status'),
    );
    const element = h(
      'div',
      { class: 'control', 'data-market-id': market.id, 'aria-label': `${eventName} — ${market.name}` },
      h('div', { class: 'control-head' }, h('strong', {}, market.name), ' ', state),
      marginForm,
      statusForm,
      outcome,
    );

    function buttonOf(label: string): HTMLButtonElement {
      const button = h('button', { type: 'submit' }, label);
      buttons.push(button);
      return button;
    }

    let sending = false;
    /** Disabled while a change is on its way, and for good once the market is settled. */
    function updateEnabled(): void {
      const settled = book.market(market.id)?.status === 'SETTLED';
      for (const control of [...buttons, marginInput, statusSelect]) control.disabled = settled || sending;
    }

    function refresh(current: MarketView): void {
      updateEnabled();
      element.dataset.version = String(current.version);
      element.dataset.status = current.status;
      state.textContent = `v${current.version} · ${current.status} · margin ${formatPercent(current.margin)}`;
      if (!marginInput.dataset.edited) marginInput.value = (current.margin * 100).toFixed(1);
      if (!statusSelect.dataset.edited) showStatus(current.status);
    }

    /** A status the trader cannot set (SETTLED) shows as itself, never as the select's first option. */
    function showStatus(status: MarketStatus): void {
      statusSelect.querySelector('option[data-final]')?.remove();
      if (!TRADER_STATUSES.includes(status)) statusSelect.append(h('option', { value: status, disabled: true, 'data-final': 'true' }, status));
      statusSelect.value = status;
    }

    function submit(event: Event, change: Change): void {
      event.preventDefault();
      const current = book.market(market.id);
      if (current) void send(change, current.version);
    }

    async function send(change: Change, expectedVersion: number): Promise<void> {
      sending = true;
      updateEnabled();
      outcome.className = 'outcome pending';
      fill(outcome, `Sending at version ${expectedVersion}…`);
      try {
        const result = await mutate(change, expectedVersion);
        if (!result) throw new Error(`the API returned no market ${market.id}`);
        book.noteMarket(result);
        delete marginInput.dataset.edited;
        delete statusSelect.dataset.edited;
        outcome.className = 'outcome ok';
        fill(outcome, change.kind === 'margin' ? `Margin set to ${formatPercent(result.margin)}` : `Status set to ${result.status}`, ` — market at version ${result.version}`);
      } catch (error) {
        const errors = apiErrors(error);
        const conflict = versionConflict(errors);
        outcome.className = conflict ? 'outcome conflict' : 'outcome failed';
        fill(
          outcome,
          ...errors.map((e) => h('p', { class: 'error' }, describeError(e))),
          conflict
            ? h(
                'p',
                {},
                `The market is at version ${conflict.currentVersion}${conflict.expectedVersion === null ? '' : `, not ${conflict.expectedVersion}`}. `,
                h('button', { type: 'button', class: 'retry', onclick: () => void send(change, conflict.currentVersion) }, `Retry at version ${conflict.currentVersion}`),
              )
            : null,
        );
      } finally {
        sending = false;
        updateEnabled();
      }
    }

    async function mutate(change: Change, expectedVersion: number): Promise<MarketResult | null> {
      if (change.kind === 'margin') {
        const data = await api.request<{ setMargin: MarketResult | null }>(SET_MARGIN, { marketId: market.id, margin: change.margin, expectedVersion }, 'userPool');
        return data.setMargin;
      }
      const data = await api.request<{ setMarketStatus: MarketResult | null }>(SET_MARKET_STATUS, { marketId: market.id, status: change.status, expectedVersion }, 'userPool');
      return data.setMarketStatus;
    }

    refresh(market);
    return { element, refresh };
  }
}
