/**
 * DynamoDB JSON (what an export's `{"Item": ...}` lines hold) to plain values and back, for the
 * types audit entries use: S, N, BOOL, NULL, M, L (and the sets, read as arrays). Numbers
 * become JS numbers: every number in an audit entry is a small integer.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Converts one attribute value; throws TypeError naming the attribute path when it is not DynamoDB JSON. */
export function fromAttributeValue(value: unknown, path = '(item)'): unknown {
  if (!isRecord(value)) throw new TypeError(`${path} is not a DynamoDB attribute value`);
  const [type, ...others] = Object.keys(value);
  if (type === undefined || others.length > 0) throw new TypeError(`${path} must have exactly one type key`);
  const inner = value[type];
  switch (type) {
    case 'S':
      if (typeof inner === 'string') return inner;
      break;
    case 'N':
      if (typeof inner === 'string' && inner.trim() !== '' && Number.isFinite(Number(inner))) return Number(inner);
      break;
    case 'BOOL':
      if (typeof inner === 'boolean') return inner;
      break;
    case 'NULL':
      return null;
    case 'M':
      if (isRecord(inner)) return fromItem(inner, path);
      break;
    case 'L':
      if (Array.isArray(inner)) return inner.map((item: unknown, index) => fromAttributeValue(item, `${path}[${index}]`));
      break;
    case 'SS':
      if (Array.isArray(inner) && inner.every((item) => typeof item === 'string')) return inner;
      break;
    case 'NS':
      if (Array.isArray(inner) && inner.every((item) => typeof item === 'string')) return inner.map(Number);
      break;
    default:
      throw new TypeError(`${path} has unknown type ${type}`);
  }
  throw new TypeError(`${path} is not a valid ${type} value`);
}

/** A DynamoDB JSON item (attribute name -> attribute value) as a plain object. */
export function fromItem(item: Record<string, unknown>, path = ''): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, fromAttributeValue(value, path ? `${path}.${name}` : name)]));
}

/** A plain value as DynamoDB JSON (strings, integers/numbers, booleans, null, objects, arrays). */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (isRecord(value)) return { M: toItem(value) };
  throw new TypeError(`cannot convert a ${typeof value} to DynamoDB JSON`);
}

export function toItem(value: Record<string, unknown>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined).map(([name, field]) => [name, toAttributeValue(field)]));
}
