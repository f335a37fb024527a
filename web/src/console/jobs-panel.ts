import type { JobType } from '../../../schema/generated/types.ts';
import type { MarketBook } from '../board/market-book.ts';
import type { Api } from '../graphql/api.ts';
import type { ConnectionWatch } from '../graphql/connection.ts';
import { apiErrors, describeError } from '../graphql/errors.ts';
import { liveSubscription } from '../graphql/live-subscription.ts';
import { CANCEL_JOB, MY_JOBS, ON_JOB_UPDATE, START_JOB } from '../graphql/operations.ts';
import { fill, h } from '../ui/dom.ts';
import { orderEvents } from '../board/event-order.ts';
import { formatPercent, formatStatus, formatTime } from '../ui/format.ts';
import { isFinished, mergeJob, type JobFields } from './job-list.ts';

const JOB_TYPES: readonly JobType[] = ['REPRICE_EVENT', 'SETTLE_MARKET', 'EXPORT_PRICE_HISTORY'];
const LISTED_JOBS = 20;

export interface JobsPanelOptions {
  api: Api;
  book: MarketBook;
  connection: ConnectionWatch;
}

/**
 * startJob with the parameters of its type, the signed-in user's jobs (myJobs) kept live by
 * onJobUpdate (the subscription resolver filters to the caller's own jobs), and cancelJob. Every
 * acknowledgement of the subscription re-reads myJobs, so progress published before it (or
 * while disconnected) is not lost.
 */
export function mountJobsPanel(root: HTMLElement, { api, book, connection }: JobsPanelOptions): { stop(): void } {
  let jobs: JobFields[] = [];
  const errors = h('div', { class: 'errors', role: 'alert' });
  const rows = h('tbody', {});
  const showErrors = (error: unknown) => fill(errors, ...apiErrors(error).map((e) => h('p', { class: 'error' }, describeError(e))));

  const rowsById = new Map<string, HTMLTableRowElement>();
  function sighted(job: JobFields | null): void {
    if (!job) return;
    jobs = mergeJob(jobs, job);
    if (!jobs.includes(job)) return;
    // Only the sighted job's row is drawn again: the others keep their state (an open result).
    rowsById.set(job.id, jobRow(job));
    rows.replaceChildren(...jobs.map((j) => rowsById.get(j.id)!));
  }

  async function reread(): Promise<void> {
    try {
      const { myJobs } = await api.request<{ myJobs: { items: JobFields[] } }>(MY_JOBS, { limit: LISTED_JOBS }, 'userPool');
      for (const job of myJobs.items) sighted(job);
    } catch (error) {
      showErrors(error);
    }
  }

  async function cancel(job: JobFields): Promise<void> {
    try {
      sighted((await api.request<{ cancelJob: JobFields | null }>(CANCEL_JOB, { id: job.id }, 'userPool')).cancelJob);
    } catch (error) {
      showErrors(error);
    }
  }

  function jobRow(job: JobFields): HTMLTableRowElement {
    return h(
      'tr',
      { 'data-job-id': job.id, 'data-job-status': job.status },
      h('td', { class: 'job' }, h('strong', {}, job.type), ' ', h('small', { class: 'muted', title: job.id }, `${job.id.slice(0, 8)} · ${formatTime(job.createdAt)}`)),
      h('td', { class: 'status' }, h('span', { class: `badge job-${job.status}` }, job.status)),
      h('td', { class: 'progress' }, h('progress', { max: 1, value: job.progress }), ' ', h('span', { class: 'progress-value' }, formatPercent(job.progress, 0))),
      h('td', { class: 'message' }, job.error ? h('p', { class: 'error' }, job.error) : job.message ?? '', job.result ? resultOf(job) : null),
      h('td', { class: 'actions' }, isFinished(job) ? null : h('button', { type: 'button', class: 'cancel', onclick: () => void cancel(job) }, 'Cancel')),
    );
  }

  const form = jobForm(book, async (type, params) => {
    fill(errors);
    try {
      sighted((await api.request<{ startJob: JobFields | null }>(START_JOB, { type, params: JSON.stringify(params) }, 'userPool')).startJob);
    } catch (error) {
      showErrors(error);
    }
  });

  fill(
    root,
    form,
    errors,
    h(
      'table',
      { class: 'jobs' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Job'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Progress'), h('th', { scope: 'col' }, 'Message'), h('th', { scope: 'col' }, ''))),
      rows,
    ),
  );

  const stopSubscription = liveSubscription<{ onJobUpdate: JobFields | null }>({
    api,
    connection,
    query: ON_JOB_UPDATE,
    variables: {},
    authMode: 'userPool',
    next: ({ onJobUpdate }) => sighted(onJobUpdate),
    onAcknowledged: () => void reread(),
    onError: showErrors,
  });
  void reread();
  return { stop: stopSubscription };
}

/** A finished job's result: an export's CSV to download, anything else as JSON. */
function resultOf(job: JobFields): HTMLElement {
  let result: unknown;
  try {
    result = JSON.parse(job.result!);
  } catch {
    result = job.result;
  }
  const csv = typeof result === 'object' && result !== null && typeof (result as { csv?: unknown }).csv === 'string' ? (result as { csv: string }).csv : undefined;
  return h(
    'div',
    { class: 'result' },
    csv === undefined
      ? null
      : h('a', { href: `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`, download: `${job.type.toLowerCase()}-${job.id}.csv` }, 'Download CSV'),
    h('details', {}, h('summary', {}, 'Result'), h('pre', {}, JSON.stringify(result, (key, value) => (key === 'csv' ? `(${String(value).length} characters)` : value), 2))),
  );
}

/** The job type and the parameters it takes (resolvers/lib/job-params.ts checks them again). */
function jobForm(book: MarketBook, start: (type: JobType, params: Record<string, unknown>) => Promise<void>): HTMLFormElement {
  const typeSelect = h('select', { name: 'type' }, ...JOB_TYPES.map((type) => h('option', { value: type }, type)));
  // Live events first, so the default is the one a trader is working on; markets under their event.
  const events = orderEvents(book.events());
  const eventSelect = h('select', { name: 'eventId' }, ...events.map((event) => h('option', { value: event.id }, `${event.name} (${formatStatus(event.status)})`)));
  const marketSelect = h(
    'select',
    { name: 'marketId' },
    ...events.map((event) => h('optgroup', { label: `${event.name} (${formatStatus(event.status)})` }, ...event.markets.map((market) => h('option', { value: market.id }, `${market.name} — ${event.name}`)))),
  );
  const winners = h('fieldset', { class: 'winners' });
  const sinceInput = h('input', { name: 'since', type: 'datetime-local', step: 1 });
  const eventField = h('label', {}, 'Event ', eventSelect);
  const marketField = h('label', {}, 'Market ', marketSelect);
  const sinceField = h('label', {}, 'Since ', sinceInput);
  const button = h('button', { type: 'submit' }, 'Start job');

  function showParameters(): void {
    const type = typeSelect.value as JobType;
    eventField.hidden = type !== 'REPRICE_EVENT';
    marketField.hidden = type === 'REPRICE_EVENT';
    winners.hidden = type !== 'SETTLE_MARKET';
    sinceField.hidden = type !== 'EXPORT_PRICE_HISTORY';
    const market = book.market(marketSelect.value);
    fill(
      winners,
      h('legend', {}, 'Winning selections'),
      ...(market?.selections ?? []).map((selection) => h('label', {}, h('input', { type: 'checkbox', name: 'winner', value: selection.id }), ` ${selection.name}`)),
    );
  }
  typeSelect.addEventListener('change', showParameters);
  marketSelect.addEventListener('change', showParameters);
  showParameters();

  function params(type: JobType): Record<string, unknown> {
    if (type === 'REPRICE_EVENT') return { eventId: eventSelect.value };
    if (type === 'SETTLE_MARKET') {
      const checked = Array.from(winners.querySelectorAll<HTMLInputElement>('input[name=winner]:checked'), (input) => input.value);
      return { marketId: marketSelect.value, winningSelectionIds: checked };
    }
    // datetime-local is the browser's local time; the API wants an instant.
    return sinceInput.value ? { marketId: marketSelect.value, since: new Date(sinceInput.value).toISOString() } : { marketId: marketSelect.value };
  }

  return h(
    'form',
    {
      class: 'job-form',
      onsubmit: (event) => {
        event.preventDefault();
        button.disabled = true;
        const type = typeSelect.value as JobType;
        void start(type, params(type)).finally(() => (button.disabled = false));
      },
    },
    h('label', {}, 'Job ', typeSelect),
    eventField,
    marketField,
    winners,
    sinceField,
    button,
  );
}
