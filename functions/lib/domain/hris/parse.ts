import type { z } from 'zod';
import { ValidationError } from '#lib/domain/shared/errors';

/**
 * Shared parsing helpers: every failure becomes a ValidationError whose message names
 * the field path (`body.employees[0].fields["Job Title"]`) and never echoes a value,
 * because HR payloads are personal data.
 */

/** `body.a[0]["Job Title"]` from a zod path. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export function invalid(root: string, path: readonly PropertyKey[], problem: string, cause?: unknown): ValidationError {
  return new ValidationError(`${formatPath(root, path)}: ${problem}`, cause === undefined ? undefined : { cause });
}

/** Parses with a zod schema; the first issue becomes the ValidationError message. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, root = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw invalid(root, [], 'invalid', result.error);
  const path = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
  const problem = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
  throw invalid(root, path, problem, result.error);
}

/** The raw body as JSON; ValidationError when it is not UTF-8 JSON. */
export function jsonBody(rawBody: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch (cause) {
    throw invalid('body', [], 'is not UTF-8', cause);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw invalid('body', [], 'is not valid JSON', cause);
  }
}

const VENDOR_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Normalises vendor timestamps to ISO 8601 UTC (`...Z`). Accepts BambooHR's
 * `2026-01-31T18:42:00+0000` and HiBob's offset-less `2025-01-08T13:06:26.915906`, which
 * we read as UTC (HiBob documents it only as "ISO 8601-style"). Returns undefined when
 * the text is not such a timestamp or not a real instant.
 */
export function toIsoInstant(text: string): string | undefined {
  const [, date, time, fraction = '', zone = 'Z'] = VENDOR_TIMESTAMP.exec(text) ?? [];
  if (date === undefined || time === undefined) return undefined;
  const millis = (fraction.slice(1) + '000').slice(0, 3);
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const instant = new Date(`${date}T${time}.${millis}${offset}`);
  if (Number.isNaN(instant.getTime()) || !isCalendarDate(date)) return undefined;
  return instant.toISOString();
}

/** Rejects calendar overflow such as 2026-02-30, which Date silently rolls over. */
function isCalendarDate(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === date;
}

/** `unix seconds` -> ISO instant. */
export const fromUnixSeconds = (seconds: string): string => new Date(Number(seconds) * 1000).toISOString();

/** Runs a synchronous step so that a throw becomes a rejected promise, never a synchronous throw. */
export const settle = <T>(step: () => T): Promise<T> => new Promise<T>((resolve) => resolve(step()));
