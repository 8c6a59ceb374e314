import { cpus } from 'node:os';
import type { Row } from './suite.ts';

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

/** Three significant-ish digits: 1234, 123.4, 12.34, 1.234. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const decimals = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : 3;
  return value.toFixed(decimals);
}

/** The header line and an aligned table: text columns left, numbers right. */
export function renderTable(rows: readonly Row[], header: string): string {
  const titles = ['suite', 'metric', 'value', 'unit', 'n'] as const;
  const cells = rows.map((row) => [row.suite, row.metric, formatValue(row.value), row.unit, String(row.n)]);
  const widths = titles.map((title, col) => Math.max(title.length, ...cells.map((line) => line[col]?.length ?? 0)));
  const numeric = new Set([2, 4]);
  const line = (values: readonly string[]) =>
    values
      .map((value, col) => (numeric.has(col) ? value.padStart(widths[col] ?? 0) : value.padEnd(widths[col] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [header, '', line(titles), rule, ...cells.map(line)].join('\n');
}
