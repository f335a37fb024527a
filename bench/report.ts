import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** The header every benchmark result file starts with: what ran, where, when. */
export function machineTable(command: string, loadBefore: number): string {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return `Command: \`${command}\` (writes this file)

| | |
|---|---|
| date | ${new Date().toISOString()} |
| machine | ${availableParallelism()} CPUs (nproc), ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM |
| Node | ${process.version} |
| load average (1 min) | ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after |`;
}

/** The value at quantile q (0..1) of an ascending-sorted list. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
