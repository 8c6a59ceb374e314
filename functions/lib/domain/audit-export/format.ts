import type { Cell, QueryResult } from './queries.ts';

/** Query output: an aligned text table (default), CSV (RFC 4180) or JSON (an array of rows). */
export type OutputFormat = 'table' | 'csv' | 'json';

const csvCell = (value: Cell): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export interface FormatOptions {
  /** Table only: cut the widest cells (ending them with …) until a line fits this many characters. */
  maxWidth?: number;
}

const GAP = 2;

/** Column widths that fit maxWidth: the widest column gives up a character at a time, never below its heading or 8. */
function fitWidths(widths: number[], columns: string[], maxWidth: number | undefined): number[] {
  const fitted = [...widths];
  if (maxWidth === undefined) return fitted;
  const total = () => fitted.reduce((sum, w) => sum + w, 0) + GAP * (fitted.length - 1);
  const floor = (i: number) => Math.max(8, columns[i]!.length);
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < fitted.length; i += 1) if (fitted[i]! > floor(i) && (widest < 0 || fitted[i]! > fitted[widest]!)) widest = i;
    if (widest < 0) break;
    fitted[widest]! -= 1;
  }
  return fitted;
}

const cut = (text: string, width: number): string => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

export function formatResult(result: QueryResult, format: OutputFormat, options: FormatOptions = {}): string {
  const { columns, rows } = result;
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') return [columns, ...rows.map((row) => columns.map((c) => row[c] ?? ''))].map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const cells = rows.map((row) => columns.map((c) => String(row[c] ?? '')));
  const widths = fitWidths(
    columns.map((c, i) => Math.max(c.length, ...cells.map((line) => line[i]!.length))),
    columns,
    options.maxWidth,
  );
  const render = (line: string[]) => line.map((cell, i) => cut(cell, widths[i]!).padEnd(widths[i]!)).join(' '.repeat(GAP)).trimEnd();
  const lines = [render(columns), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)];
  const wasCut = cells.some((line) => line.some((cell, i) => cell.length > widths[i]!));
  return `${lines.join('\n')}\n(${rows.length} row${rows.length === 1 ? '' : 's'}${wasCut ? `; long cells cut to fit ${options.maxWidth ?? ''} columns: --wide shows them whole, --format csv|json too` : ''})\n`;
}
