import type { Cell, QueryResult } from './queries.ts';

/** Query output: an aligned text table (default), CSV (RFC 4180) or JSON (an array of rows). */
export type OutputFormat = 'table' | 'csv' | 'json';

const csvCell = (value: Cell): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function formatResult(result: QueryResult, format: OutputFormat): string {
  const { columns, rows } = result;
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') return [columns, ...rows.map((row) => columns.map((c) => row[c] ?? ''))].map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const cells = rows.map((row) => columns.map((c) => String(row[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((line) => line[i]!.length)));
  const render = (line: string[]) => line.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const lines = [render(columns), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)];
  return `${lines.join('\n')}\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}
