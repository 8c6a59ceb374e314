/**
 * The layout of every `statemachines/*.asl.json`: JSON with two-space indents, keys in the
 * order written, and arrays of scalars on one line (`"ErrorEquals": ["States.ALL"]`), so a
 * file reads as a workflow rather than a column of brackets. Pure: text in, text out.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const INDENT = '  ';

function isScalar(value: Json): value is null | boolean | number | string {
  return value === null || typeof value !== 'object';
}

function render(value: Json, depth: number): string {
  if (isScalar(value)) return JSON.stringify(value);
  const inner = INDENT.repeat(depth + 1);
  const outer = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isScalar)) return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    return `[\n${value.map((item) => inner + render(item, depth + 1)).join(',\n')}\n${outer}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${render(item, depth + 1)}`).join(',\n')}\n${outer}}`;
}

/** The formatted text of an ASL document (ending with a newline). */
export function formatAsl(value: unknown): string {
  return `${render(value as Json, 0)}\n`;
}

/** The formatted text of ASL source text; throws a SyntaxError naming the file for bad JSON. */
export function reformatAsl(text: string, file: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
  return formatAsl(parsed);
}
