import type { CostReport, Service } from '../../../cost/model/estimate.ts';
import { SERVICES } from '../../../cost/model/estimate.ts';
import { serviceName, usd } from '../../../cost/model/format.ts';
import { s } from './svg.ts';

/** One colour per service, the same in both charts. */
export const SERVICE_COLOURS: Record<Service, string> = {
  appsync: '#0b5fff',
  lambda: '#f79009',
  dynamodb: '#7a5af8',
  cognito: '#12b76a',
  cloudwatch: '#ee46bc',
  xray: '#667085',
  dataTransfer: '#06aed4',
};

const compactUsd = (value: number) =>
  value >= 1e6 ? `$${(value / 1e6).toFixed(value >= 1e7 ? 0 : 1)}M` : value >= 1e3 ? `$${(value / 1e3).toFixed(value >= 1e4 ? 0 : 1)}k` : value >= 1 ? `$${value.toFixed(0)}` : `$${value.toFixed(2)}`;

/** Monthly cost per service as horizontal bars, largest first, each labelled with its dollars. */
export function serviceBars(report: CostReport): SVGSVGElement {
  const rows = SERVICES.map((service) => ({ service, value: report.monthlyUsd[service] })).sort((a, b) => b.value - a.value);
  const width = 640;
  const labelWidth = 150;
  const valueWidth = 110;
  const rowHeight = 30;
  const height = rows.length * rowHeight + 10;
  const max = Math.max(...rows.map((r) => r.value), 0.01);
  const barSpace = width - labelWidth - valueWidth;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': `Monthly cost by service, ${usd(report.monthlyUsd.total)} in all`, class: 'chart', 'data-chart': 'services' });
  rows.forEach((row, i) => {
    const y = 5 + i * rowHeight;
    const barWidth = Math.max(row.value > 0 ? 2 : 0, (row.value / max) * barSpace);
    svg.append(
      s(
        'g',
        { 'data-service': row.service, 'data-usd': row.value.toFixed(2) },
        s('text', { x: labelWidth - 8, y: y + 19, 'text-anchor': 'end', class: 'chart-label' }, serviceName(row.service)),
        s('rect', { x: labelWidth, y: y + 4, width: barWidth.toFixed(1), height: rowHeight - 10, rx: 3, fill: SERVICE_COLOURS[row.service] }),
        s('text', { x: labelWidth + barWidth + 6, y: y + 19, class: 'chart-value' }, usd(row.value)),
      ),
    );
  });
  return svg;
}

/**
 * Total monthly cost against load ×1…×16 (both axes logarithmic), stacked by service at each
 * multiple as a column, with the load at which the first quota breaks marked.
 */
export function loadCurve(report: CostReport): SVGSVGElement {
  const width = 640;
  const height = 340;
  const left = 70;
  const right = 45;
  const top = 20;
  const bottom = 50;
  const points = report.curve;
  const totals = points.map((p) => p.monthlyUsd.total);
  const minDecade = Math.floor(Math.log10(Math.max(Math.min(...totals), 0.01)));
  const maxDecade = Math.ceil(Math.log10(Math.max(...totals, 0.1)));
  const decades = Math.max(1, maxDecade - minDecade);
  const maxMultiple = points[points.length - 1]!.multiple;
  // The first column stands clear of the axis labels.
  const x = (m: number) => left + 30 + (Math.log2(m) / Math.log2(maxMultiple)) * (width - left - right - 30);
  const y = (v: number) => top + (1 - (Math.log10(Math.max(v, 10 ** minDecade)) - minDecade) / decades) * (height - top - bottom);

  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'Monthly cost against load multiple', class: 'chart', 'data-chart': 'load' });
  for (let d = minDecade; d <= maxDecade; d++) {
    svg.append(s('line', { x1: left, x2: width - right, y1: y(10 ** d), y2: y(10 ** d), class: 'grid' }), s('text', { x: left - 8, y: y(10 ** d) + 4, 'text-anchor': 'end', class: 'axis' }, compactUsd(10 ** d)));
  }
  for (const p of points) {
    svg.append(s('text', { x: x(p.multiple), y: height - bottom + 18, 'text-anchor': 'middle', class: 'axis' }, `×${p.multiple}`));
  }
  svg.append(s('text', { x: (left + width - right) / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis' }, 'load multiple (clients, feed, queries and users × m)'));

  // Each multiple's total as a column split by service (log scale: a service's share of the column
  // is its share of the total, drawn from the axis floor up to the total).
  const floor = y(10 ** minDecade);
  for (const p of points) {
    const columnTop = y(p.monthlyUsd.total);
    let cursor = floor;
    const group = s('g', { 'data-multiple': p.multiple, 'data-usd': p.monthlyUsd.total.toFixed(2) });
    for (const service of SERVICES) {
      const share = p.monthlyUsd.total > 0 ? p.monthlyUsd[service] / p.monthlyUsd.total : 0;
      const h = share * (floor - columnTop);
      if (h <= 0) continue;
      cursor -= h;
      group.append(s('rect', { x: x(p.multiple) - 9, y: cursor.toFixed(1), width: 18, height: h.toFixed(1), fill: SERVICE_COLOURS[service], opacity: 0.35 }));
    }
    svg.append(group);
  }
  svg.append(s('polyline', { points: points.map((p) => `${x(p.multiple).toFixed(1)},${y(p.monthlyUsd.total).toFixed(1)}`).join(' '), class: 'curve' }));
  for (const p of points) {
    svg.append(
      s('circle', { cx: x(p.multiple), cy: y(p.monthlyUsd.total), r: 4, class: 'point' }),
      s('text', { x: x(p.multiple), y: y(p.monthlyUsd.total) - 10, 'text-anchor': 'middle', class: 'point-label' }, compactUsd(p.monthlyUsd.total)),
    );
  }

  const first = report.firstLimit;
  if (first) {
    const at = Math.min(Math.max(first.breaksAtMultiple, 1), maxMultiple);
    const beyond = first.breaksAtMultiple > maxMultiple;
    const when = first.breaksAtMultiple < 1 ? 'exceeded now' : `breaks at ×${first.breaksAtMultiple.toFixed(1)}${beyond ? ' (beyond the chart)' : ''}`;
    // Two lines beside the marker, on the side with more room.
    const onLeft = x(at) > (left + width - right) / 2;
    const textX = onLeft ? x(at) - 6 : x(at) + 6;
    const anchor = onLeft ? 'end' : 'start';
    svg.append(
      s(
        'g',
        { class: 'limit', 'data-breaks-at': first.breaksAtMultiple.toFixed(2), 'data-label': `${first.name} ${when}` },
        s('line', { x1: x(at), x2: x(at), y1: top, y2: height - bottom, class: 'limit-line' }),
        s('text', { x: textX, y: top + 12, 'text-anchor': anchor, class: 'limit-label' }, s('tspan', { x: textX }, first.name), s('tspan', { x: textX, dy: 15 }, when)),
      ),
    );
  }
  return svg;
}

/** A legend of the service colours. */
export function legend(): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'legend';
  for (const service of SERVICES) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = SERVICE_COLOURS[service];
    item.append(swatch, serviceName(service));
    list.append(item);
  }
  return list;
}
