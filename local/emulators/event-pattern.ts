/**
 * EventBridge event-pattern matching, as a pure module: `validateEventPattern` checks a
 * pattern the way PutRule does, `matchesEventPattern` decides whether an event matches.
 *
 * Supported: exact values (string, number, boolean, null) listed in arrays, nested
 * objects, `$or`, `prefix` / `suffix` (optionally with `equals-ignore-case`),
 * `anything-but` (value, list, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`),
 * `exists`, `numeric` ranges, `equals-ignore-case`, `wildcard`. Not supported: `cidr`.
 *
 * Arrays in the event match when any of their elements matches (EventBridge flattens
 * them); comparison operators apply to leaf values only.
 */

export type EventPattern = { readonly [key: string]: unknown };
type Scalar = string | number | boolean | null;

export class EventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventPatternError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is Scalar =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
const isString = (value: unknown): value is string => typeof value === 'string';
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every(isString);

/** The single `[operator, argument]` of an operator object; `[undefined, undefined]` for anything else. */
function operatorOf(condition: unknown): [string | undefined, unknown] {
  const entries = isObject(condition) ? Object.entries(condition) : [];
  return entries.length === 1 && entries[0] ? entries[0] : [undefined, undefined];
}

// ------------------------------------------------------------------ validation

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function fail(path: string, reason: string): never {
  throw new EventPatternError(`Event pattern is not valid. Reason: "${path || '<root>'}" ${reason}`);
}

function isIgnoreCase(arg: unknown): boolean {
  const [op, inner] = operatorOf(arg);
  return op === 'equals-ignore-case' && isString(inner);
}

function validateNumeric(arg: unknown, path: string): void {
  const ok = (list: unknown[]): boolean =>
    (list.length === 2 || list.length === 4) &&
    list.every((item, i) => (i % 2 === 0 ? isString(item) && NUMERIC_OPERATORS.has(item) : typeof item === 'number'));
  if (!Array.isArray(arg) || !ok(arg)) fail(path, 'numeric needs [operator, number] or [">"|">=", number, "<"|"<=", number]');
  if (arg.length === 4 && (!['>', '>='].includes(String(arg[0])) || !['<', '<='].includes(String(arg[2])))) {
    fail(path, 'a numeric range must be a lower bound (> or >=) followed by an upper bound (< or <=)');
  }
}

function validateAnythingBut(arg: unknown, path: string): void {
  if (isString(arg) || typeof arg === 'number') return;
  if (Array.isArray(arg) && arg.length > 0 && (arg.every(isString) || arg.every((v) => typeof v === 'number'))) return;
  const [op, inner] = operatorOf(arg);
  if ((op === 'prefix' || op === 'suffix') && isString(inner)) return;
  if ((op === 'equals-ignore-case' || op === 'wildcard') && (isString(inner) || isStringList(inner))) return;
  fail(path, 'anything-but needs a string, a number, a list of either, or {prefix|suffix|equals-ignore-case|wildcard}');
}

function validateCondition(condition: unknown, path: string): void {
  if (isScalar(condition)) return;
  const [op, arg] = operatorOf(condition);
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (isString(arg) || isIgnoreCase(arg)) return;
      return fail(path, `${op} needs a string or {"equals-ignore-case": string}`);
    case 'equals-ignore-case':
    case 'wildcard':
      if (isString(arg)) return;
      return fail(path, `${op} needs a string`);
    case 'exists':
      if (typeof arg === 'boolean') return;
      return fail(path, 'exists needs true or false');
    case 'numeric':
      return validateNumeric(arg, path);
    case 'anything-but':
      return validateAnythingBut(arg, path);
    case undefined:
      return fail(path, 'match values must be strings, numbers, booleans, null or one-key operator objects');
    default:
      return fail(path, `uses the unsupported operator "${op}"`);
  }
}

function validateNode(node: unknown, path: string): void {
  if (!isObject(node)) fail(path, 'must be a JSON object');
  if (Object.keys(node).length === 0) fail(path, 'must not be empty');
  for (const [key, value] of Object.entries(node)) {
    const here = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) fail(here, 'needs an array of at least two patterns');
      value.forEach((alternative, i) => validateNode(alternative, `${here}[${i}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) fail(here, 'must not be an empty array');
      for (const condition of value) validateCondition(condition, here);
    } else if (isObject(value)) {
      validateNode(value, here);
    } else {
      fail(here, 'must be an array of match values or a nested pattern object');
    }
  }
}

/** Checks a pattern as PutRule does; throws EventPatternError naming the bad field. */
export function validateEventPattern(pattern: unknown): EventPattern {
  validateNode(pattern, '');
  return pattern as EventPattern;
}

/** Parses and validates the JSON text of an EventPattern member. */
export function parseEventPattern(text: string): EventPattern {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch {
    throw new EventPatternError('Event pattern is not valid. Reason: it is not valid JSON');
  }
  return validateEventPattern(pattern);
}

// ------------------------------------------------------------------ matching

/** The scalar leaf values of an event field, arrays flattened; objects are not leaves. */
function leafValues(value: unknown): Scalar[] {
  if (isScalar(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  return [];
}

const lower = (value: string): string => value.toLowerCase();

function wildcardRegExp(wildcard: string): RegExp {
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard[i] ?? '';
    const next = wildcard[i + 1];
    if (char === '\\' && (next === '*' || next === '\\')) {
      source += `\\${next}`;
      i++;
    } else {
      source += char === '*' ? '.*' : char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function affix(kind: 'prefix' | 'suffix', arg: unknown, value: string): boolean {
  const ignoreCase = isObject(arg);
  const wanted = ignoreCase ? arg['equals-ignore-case'] : arg;
  if (!isString(wanted)) return false;
  const [subject, needle] = ignoreCase ? [lower(value), lower(wanted)] : [value, wanted];
  return kind === 'prefix' ? subject.startsWith(needle) : subject.endsWith(needle);
}

function numeric(arg: unknown, value: number): boolean {
  if (!Array.isArray(arg)) return false;
  for (let i = 0; i + 1 < arg.length; i += 2) {
    const op: unknown = arg[i];
    const bound: unknown = arg[i + 1];
    if (typeof bound !== 'number') return false;
    const ok =
      op === '=' ? value === bound : op === '<' ? value < bound : op === '<=' ? value <= bound : op === '>' ? value > bound : op === '>=' ? value >= bound : false;
    if (!ok) return false;
  }
  return true;
}

function anythingBut(arg: unknown, value: Scalar): boolean {
  if (isScalar(arg)) return arg !== value;
  if (Array.isArray(arg)) return !arg.includes(value);
  const [op, inner] = operatorOf(arg);
  if (!isString(value)) return true;
  const list = isString(inner) ? [inner] : isStringList(inner) ? inner : [];
  if (op === 'prefix' || op === 'suffix') return !affix(op, inner, value);
  if (op === 'equals-ignore-case') return !list.some((item) => lower(item) === lower(value));
  if (op === 'wildcard') return !list.some((item) => wildcardRegExp(item).test(value));
  return false;
}

function matchesValue(condition: unknown, value: Scalar): boolean {
  if (isScalar(condition)) return condition === value;
  const [op, arg] = operatorOf(condition);
  switch (op) {
    case 'prefix':
    case 'suffix':
      return isString(value) && affix(op, arg, value);
    case 'equals-ignore-case':
      return isString(value) && isString(arg) && lower(value) === lower(arg);
    case 'wildcard':
      return isString(value) && isString(arg) && wildcardRegExp(arg).test(value);
    case 'numeric':
      return typeof value === 'number' && numeric(arg, value);
    case 'anything-but':
      return anythingBut(arg, value);
    default:
      return false;
  }
}

function matchesLeaf(conditions: readonly unknown[], field: unknown): boolean {
  const values = leafValues(field);
  return conditions.some((condition) => {
    const [op, arg] = operatorOf(condition);
    if (op === 'exists') return arg === values.length > 0;
    return values.some((value) => matchesValue(condition, value));
  });
}

function matchesNode(pattern: EventPattern, subject: unknown): boolean {
  const node = isObject(subject) ? subject : {};
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') return Array.isArray(sub) && sub.some((alternative) => isObject(alternative) && matchesNode(alternative, subject));
    const field = node[key];
    if (Array.isArray(sub)) return matchesLeaf(sub, field);
    if (!isObject(sub)) return false;
    if (Array.isArray(field)) return field.some((element) => isObject(element) && matchesNode(sub, element));
    return matchesNode(sub, field);
  });
}

/** True when `event` matches a pattern that passed `validateEventPattern`. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesNode(pattern, event);
}
