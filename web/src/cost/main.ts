import calibrationJson from '../../../cost/calibration.json' with { type: 'json' };
import pricesJson from '../../../cost/prices.us-east-1.json' with { type: 'json' };
import demoProfile from '../../../cost/profiles/demo.json' with { type: 'json' };
import phonesProfile from '../../../cost/profiles/50k-phones.json' with { type: 'json' };
import { estimate, type CostReport } from '../../../cost/model/estimate.ts';
import { usd } from '../../../cost/model/format.ts';
import { parseProfile } from '../../../cost/model/profile.ts';
import type { Calibration, PriceBook } from '../../../cost/model/types.ts';
import { byId, fill, h } from '../ui/dom.ts';
import { legend, loadCurve, serviceBars } from './charts.ts';

/**
 * The cost page: the same model as `npm run cost`, run in the browser on the app as calibrated
 * (cost/calibration.json records the synthesized app's resources with its measurements), for an
 * example profile or one edited on the page.
 */
const calibration = calibrationJson as unknown as Calibration;
const prices = pricesJson as unknown as PriceBook;
const PROFILES: Record<string, unknown> = { '50k-phones': phonesProfile, demo: demoProfile };

function render(profileJson: unknown, origin: string): void {
  const errors = byId('profile-errors');
  let report: CostReport;
  try {
    report = estimate({ app: calibration.app, profile: parseProfile(profileJson, origin), prices, calibration });
  } catch (error) {
    fill(errors, h('p', { class: 'error' }, (error as Error).message));
    return;
  }
  fill(errors);
  const first = report.firstLimit;
  fill(
    byId('summary'),
    h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'a month'), h('strong', { id: 'total', 'data-usd': report.monthlyUsd.total.toFixed(2) }, usd(report.monthlyUsd.total))),
    h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'per million updates delivered'), h('strong', { id: 'per-million' }, usd(report.perMillionDeliveredUsd))),
    h(
      'div',
      { class: 'figure' },
      h('span', { class: 'figure-label' }, 'first limit to break'),
      h('strong', { id: 'first-limit' }, first ? `${first.name} at load ×${first.breaksAtMultiple.toFixed(1)}` : 'none up to ×1024'),
    ),
  );
  fill(byId('services-chart'), serviceBars(report));
  fill(byId('load-chart'), loadCurve(report), legend());
  fill(
    byId('alternatives'),
    table(
      ['push path', 'a month', 'per million delivered', 'first limit, breaks at load'],
      report.alternatives.map((alt) => {
        const limit = [...alt.limits].sort((a, b) => (a.breaksAtMultiple ?? Infinity) - (b.breaksAtMultiple ?? Infinity))[0];
        return [alt.name, usd(alt.monthlyUsd), usd(alt.perMillionDeliveredUsd), limit ? `${limit.name}: ${breaks(limit.breaksAtMultiple)}` : '—'];
      }),
    ),
    h('p', { class: 'muted' }, 'The push side alone (publish → every subscriber); the ingest and pricing pipeline is the same for all four.'),
  );
  fill(
    byId('quotas'),
    table(
      ['quota', 'at load ×1', 'limit', 'breaks at'],
      report.quotas.map((q) => [q.name, `${round(q.current)} ${q.unit}`, round(q.limit), breaks(q.breaksAtMultiple)]),
    ),
  );
  fill(
    byId('assumptions'),
    h(
      'p',
      {},
      report.calibration
        ? `Measured on ${report.calibration.machine} at ${report.calibration.measuredAt}${report.calibration.loadAverage ? `, load average ${report.calibration.loadAverage.before} → ${report.calibration.loadAverage.after}` : ''} (npm run cost -- --calibrate). Durations are local worker threads', not AWS's.`
        : 'Nothing measured yet.',
    ),
    h('ul', {}, ...report.assumptions.map((a) => h('li', { 'data-source': a.source }, h('span', { class: `tag ${a.source}` }, a.source), ` ${a.name}: ${round(a.value)}`, a.source === 'assumed' ? h('span', { class: 'muted' }, ` — ${a.note}`) : null))),
    h('p', { class: 'muted' }, `Prices: cost/prices.us-east-1.json, read 2026-12-03; ${report.unverifiedPrices.length} are marked UNVERIFIED there. ${report.pricesNote}`),
  );
}

function table(head: string[], rows: string[][]): HTMLTableElement {
  return h('table', { class: 'cost-table' }, h('thead', {}, h('tr', {}, ...head.map((cell) => h('th', {}, cell)))), h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))));
}

const breaks = (multiple: number | null) => (multiple === null ? 'beyond ×1024' : multiple < 1 ? `exceeded now (×${multiple.toFixed(2)})` : `×${multiple.toFixed(1)}`);
const round = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value >= 1 ? value.toFixed(1) : value.toPrecision(2));

function main(): void {
  const select = byId<HTMLSelectElement>('profile');
  const editor = byId<HTMLTextAreaElement>('profile-json');
  const show = () => {
    const profile = PROFILES[select.value];
    editor.value = JSON.stringify(profile, null, 2);
    render(profile, `cost/profiles/${select.value}.json`);
  };
  select.addEventListener('change', show);
  byId('apply').addEventListener('click', () => {
    let json: unknown;
    try {
      json = JSON.parse(editor.value);
    } catch (error) {
      fill(byId('profile-errors'), h('p', { class: 'error' }, `the profile is not valid JSON: ${(error as Error).message}`));
      return;
    }
    render(json, 'edited profile');
  });
  show();
}

main();
