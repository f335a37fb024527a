import { svg } from '../ui/dom.ts';
import { formatDecimal, formatTime } from '../ui/format.ts';
import type { PricePoint } from './price-history.ts';

/** Plot coordinates: x from time, y from decimal price (higher odds higher up). */
interface Scale {
  x(at: number): number;
  y(decimal: number): number;
}

function scaleOf(points: readonly PricePoint[], box: { left: number; right: number; top: number; bottom: number }): Scale & { low: number; high: number } {
  const first = points[0]!.at;
  const last = points[points.length - 1]!.at;
  let low = Math.min(...points.map((p) => p.decimal));
  let high = Math.max(...points.map((p) => p.decimal));
  // A flat line sits mid-height rather than on an edge.
  if (high - low < 0.01) {
    low -= 0.05;
    high += 0.05;
  }
  const span = last - first || 1;
  return {
    low,
    high,
    x: (at) => box.left + ((at - first) / span) * (box.right - box.left),
    y: (decimal) => box.bottom - ((decimal - low) / (high - low)) * (box.bottom - box.top),
  };
}

/** A price holds until the next one: a step line, as a price ladder moves. */
function stepPath(points: readonly PricePoint[], scale: Scale, until: number): string {
  let path = '';
  points.forEach((point, i) => {
    const x = scale.x(point.at).toFixed(1);
    const y = scale.y(point.decimal).toFixed(1);
    path += i === 0 ? `M${x},${y}` : `H${x}V${y}`;
  });
  return `${path}H${until.toFixed(1)}`;
}

/** Which way the last move went: the line's colour. */
function trend(points: readonly PricePoint[]): 'up' | 'down' | 'flat' {
  for (let i = points.length - 1; i > 0; i--) {
    const delta = points[i]!.decimal - points[i - 1]!.decimal;
    if (delta !== 0) return delta > 0 ? 'up' : 'down';
  }
  return 'flat';
}

const SPARK = { width: 64, height: 24 };

/** The small chart in a selection's row: the shape of the recent moves, no axes. */
export function sparkline(points: readonly PricePoint[]): SVGSVGElement {
  const chart = svg('svg', { class: `spark trend-${trend(points)}`, viewBox: `0 0 ${SPARK.width} ${SPARK.height}`, width: SPARK.width, height: SPARK.height, 'aria-hidden': 'true', 'data-points': points.length });
  if (points.length < 2) return chart;
  const box = { left: 1, right: SPARK.width - 4, top: 3, bottom: SPARK.height - 3 };
  const scale = scaleOf(points, box);
  const last = points[points.length - 1]!;
  chart.append(
    svg('path', { d: stepPath(points, scale, box.right), class: 'line' }),
    svg('circle', { cx: box.right, cy: scale.y(last.decimal).toFixed(1), r: 2.2, class: 'dot' }),
  );
  return chart;
}

const LARGE = { width: 440, height: 170, left: 38, right: 46, top: 10, bottom: 22 };

/**
 * The chart a trader opens for one selection: its decimal price over time with a price axis, the
 * first and last times, and the current price labelled at the right edge.
 */
export function priceChart(points: readonly PricePoint[], title: string): SVGSVGElement {
  const chart = svg('svg', { class: `price-chart trend-${trend(points)}`, viewBox: `0 0 ${LARGE.width} ${LARGE.height}`, role: 'img', 'aria-label': title, 'data-points': points.length });
  chart.append(svg('title', {}, title));
  if (points.length < 2) {
    chart.append(svg('text', { x: LARGE.width / 2, y: LARGE.height / 2, class: 'empty', 'text-anchor': 'middle' }, 'Waiting for price moves…'));
    return chart;
  }
  const box = { left: LARGE.left, right: LARGE.width - LARGE.right, top: LARGE.top, bottom: LARGE.height - LARGE.bottom };
  const scale = scaleOf(points, box);
  for (const tick of ticks(scale.low, scale.high, 4)) {
    const y = scale.y(tick).toFixed(1);
    chart.append(
      svg('line', { x1: box.left, x2: box.right, y1: y, y2: y, class: 'grid' }),
      svg('text', { x: box.left - 6, y, class: 'axis', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, formatDecimal(tick)),
    );
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const line = stepPath(points, scale, box.right);
  chart.append(
    svg('path', { d: `${line}V${box.bottom}H${box.left}Z`, class: 'area' }),
    svg('path', { d: line, class: 'line' }),
    svg('circle', { cx: box.right, cy: scale.y(last.decimal).toFixed(1), r: 3.5, class: 'dot' }),
    svg('text', { x: box.right + 8, y: scale.y(last.decimal).toFixed(1), class: 'last', 'dominant-baseline': 'middle' }, formatDecimal(last.decimal)),
    svg('text', { x: box.left, y: LARGE.height - 6, class: 'axis' }, formatTime(new Date(first.at).toISOString())),
    svg('text', { x: box.right, y: LARGE.height - 6, class: 'axis', 'text-anchor': 'end' }, formatTime(new Date(last.at).toISOString())),
  );
  return chart;
}

/** About `count` round price levels between low and high (steps of 1, 2 or 5 × 10^n). */
export function ticks(low: number, high: number, count: number): number[] {
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let tick = Math.ceil(low / step) * step; tick <= high + 1e-9; tick += step) out.push(Math.round(tick * 1e6) / 1e6);
  return out;
}
