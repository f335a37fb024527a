import type { CostReport, Service } from './estimate.ts';
import { SERVICES } from './estimate.ts';

const SERVICE_NAMES: Record<Service, string> = {
  appsync: 'AppSync',
  lambda: 'Lambda',
  dynamodb: 'DynamoDB',
  cognito: 'Cognito',
  cloudwatch: 'CloudWatch',
  xray: 'X-Ray',
  dataTransfer: 'Data transfer out',
};

export function serviceName(service: Service): string {
  return SERVICE_NAMES[service];
}

export function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function quantity(value: number): string {
  if (value === 0) return '0';
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)} B`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value < 1 ? value.toPrecision(2) : value.toFixed(value < 10 ? 2 : 0);
}

function multiple(value: number | null): string {
  if (value === null) return 'beyond 1024×';
  return value < 1 ? `exceeded now (${value.toFixed(2)}×)` : `${value.toFixed(1)}×`;
}

/** A markdown table: renders in the README as it prints in a terminal. */
function table(head: string[], rows: string[][], right: number[] = []): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const cell = (text: string, i: number) => (right.includes(i) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right.includes(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

export function formatServices(report: CostReport): string {
  const rows = SERVICES.map((s) => [serviceName(s), usd(report.monthlyUsd[s])]);
  rows.push(['**Total a month**', `**${usd(report.monthlyUsd.total)}**`]);
  return table(['service', 'monthly'], rows, [1]);
}

export function formatAlternatives(report: CostReport): string {
  return table(
    ['push path', 'monthly', 'per million delivered', 'first limit: at load ×1 of the limit, breaks at'],
    report.alternatives.map((alt) => {
      const first = [...alt.limits].sort((a, b) => (a.breaksAtMultiple ?? Infinity) - (b.breaksAtMultiple ?? Infinity))[0];
      return [alt.name, usd(alt.monthlyUsd), usd(alt.perMillionDeliveredUsd), first ? `${first.name}: ${quantity(first.current)} of ${quantity(first.limit)}, ${multiple(first.breaksAtMultiple)}` : '—'];
    }),
    [1, 2],
  );
}

export function formatQuotas(report: CostReport): string {
  return table(
    ['quota', 'at load ×1', 'limit', 'headroom', 'breaks at'],
    report.quotas.map((q) => [`${q.name}${q.verified ? '' : ' ¹'}`, `${quantity(q.current)} ${q.unit}`, quantity(q.limit), Number.isFinite(q.headroom) ? `${q.headroom.toFixed(1)}×` : '—', multiple(q.breaksAtMultiple)]),
    [1, 2, 3, 4],
  );
}

/** The human report: services, detail lines, quotas and first limit, alternatives, what was measured. */
export function formatReport(report: CostReport): string {
  const first = report.firstLimit;
  const out = [
    `Pricestream — ${report.profile}, load ×${report.loadMultiple}, ${report.region} (on-demand prices, no free tiers)`,
    '',
    formatServices(report),
    '',
    `Per million price updates delivered: ${usd(report.perMillionDeliveredUsd)} (${quantity(report.deliveredPerMonth)} deliveries a month)`,
    first
      ? `First limit to break: ${first.name} — ${quantity(first.current)} ${first.unit} now, limit ${quantity(first.limit)}; ${first.breaksAtMultiple < 1 ? 'already exceeded' : `breaks at load ×${first.breaksAtMultiple.toFixed(1)} (the ${first.breaksAtDoubling}× doubling)`}${first.adjustable ? ', adjustable on request' : ', not adjustable'}`
      : 'First limit to break: none up to load ×1024',
    '',
    'Detail',
    table(
      ['service', 'item', 'quantity', 'monthly'],
      report.lines.filter((l) => l.usd >= 0.005 || l.quantity > 0).map((l) => [serviceName(l.service), l.item, `${quantity(l.quantity)} ${l.unit}`, usd(l.usd)]),
      [2, 3],
    ),
    '',
    'Quotas (¹ value not verified on an AWS page; see cost/prices.us-east-1.json)',
    formatQuotas(report),
    '',
    'Push path alternatives (publish → subscribers only; same profile)',
    formatAlternatives(report),
    '',
    `Numbers measured${report.calibration ? ` on ${report.calibration.machine} at ${report.calibration.measuredAt}${report.calibration.loadAverage ? ` (load average ${report.calibration.loadAverage.before} → ${report.calibration.loadAverage.after})` : ''}` : ' (none: run npm run cost -- --calibrate)'}:`,
    ...report.assumptions.filter((a) => a.source === 'measured').map((a) => `  measured  ${a.name}: ${formatValue(a.value)}`),
    'Assumed:',
    ...report.assumptions.filter((a) => a.source === 'assumed').map((a) => `  assumed   ${a.name}: ${formatValue(a.value)} — ${a.note}`),
    '',
    `Prices: cost/prices.us-east-1.json (read 2026-12-03); ${report.unverifiedPrices.length} of them UNVERIFIED on an AWS page, marked there.`,
  ];
  return out.join('\n');
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
