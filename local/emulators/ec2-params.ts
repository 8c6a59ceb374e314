import { AwsError } from '../core/aws-error.ts';
import type { QueryParams } from '../core/protocols.ts';

/** Reading EC2 query parameters (`InstanceId.1`, `Filter.1.Value.2`, `TagSpecification.1.Tag.1.Key`). */

export interface Tag {
  key: string;
  value: string;
}

export interface Filter {
  name: string;
  values: string[];
}

export const missingParameter = (name: string): AwsError =>
  new AwsError('MissingParameter', `The request must contain the parameter ${name}`);

export const invalidValue = (name: string, value: string, why = ''): AwsError =>
  new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid.${why ? ` ${why}` : ''}`);

export function optional(params: QueryParams, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === '' ? undefined : value;
}

export function required(params: QueryParams, name: string): string {
  const value = optional(params, name);
  if (value === undefined) throw missingParameter(name);
  return value;
}

export function integer(params: QueryParams, name: string, min: number, max: number): number | undefined {
  const raw = optional(params, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidValue(name, raw, `Expected an integer from ${min} to ${max}.`);
  }
  return value;
}

export function boolean(params: QueryParams, name: string): boolean | undefined {
  const raw = optional(params, name);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalidValue(name, raw, 'Expected true or false.');
  return raw === 'true';
}

/** The indices N present under `prefix.N` or `prefix.N.*`, ascending. */
function indices(params: QueryParams, prefix: string): number[] {
  const found = new Set<number>();
  const head = `${prefix}.`;
  for (const key of Object.keys(params)) {
    if (!key.startsWith(head)) continue;
    const n = Number(key.slice(head.length).split('.')[0]);
    if (Number.isInteger(n) && n > 0) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

/** A flat list: `InstanceId.1`, `InstanceId.2`, ... */
export function list(params: QueryParams, prefix: string): string[] {
  return indices(params, prefix)
    .map((n) => params[`${prefix}.${n}`])
    .filter((value): value is string => value !== undefined && value !== '');
}

export function filters(params: QueryParams): Filter[] {
  return indices(params, 'Filter').map((n) => {
    const name = params[`Filter.${n}.Name`];
    if (!name) throw missingParameter(`Filter.${n}.Name`);
    return { name, values: list(params, `Filter.${n}.Value`) };
  });
}

export const MAX_TAGS = 50;

export function checkTag(key: string, value: string, where: string): void {
  if (key.length > 128) throw invalidValue(`${where}.Key`, key, 'Tag keys are at most 128 characters.');
  if (value.length > 256) throw invalidValue(`${where}.Value`, value, 'Tag values are at most 256 characters.');
  if (key.toLowerCase().startsWith('aws:')) {
    throw invalidValue(`${where}.Key`, key, "Tag keys starting with 'aws:' are reserved for internal use.");
  }
}

/** `Tag.N.Key` / `Tag.N.Value` under `prefix`; a value that was not sent stays undefined (DeleteTags needs the difference). */
export function tagList(params: QueryParams, prefix: string): { key: string; value: string | undefined }[] {
  return indices(params, prefix).map((n) => {
    const key = params[`${prefix}.${n}.Key`];
    if (key === undefined || key === '') throw missingParameter(`${prefix}.${n}.Key`);
    return { key, value: params[`${prefix}.${n}.Value`] };
  });
}

export function tags(params: QueryParams, prefix: string): Tag[] {
  const out = tagList(params, prefix).map(({ key, value }, i) => {
    checkTag(key, value ?? '', `${prefix}.${i + 1}`);
    return { key, value: value ?? '' };
  });
  if (out.length > MAX_TAGS) throw new AwsError('TagLimitExceeded', `At most ${MAX_TAGS} tags are allowed per resource.`);
  return out;
}

/** `TagSpecification.N`: tags per resource type; types outside `allowed` are refused. */
export function tagSpecifications(params: QueryParams, allowed: readonly string[]): Map<string, Tag[]> {
  const out = new Map<string, Tag[]>();
  for (const n of indices(params, 'TagSpecification')) {
    const name = `TagSpecification.${n}.ResourceType`;
    const type = params[name];
    if (!type) throw missingParameter(name);
    if (!allowed.includes(type)) throw invalidValue(name, type, `Expected one of: ${allowed.join(', ')}.`);
    const merged = [...(out.get(type) ?? []), ...tags(params, `TagSpecification.${n}.Tag`)];
    if (merged.length > MAX_TAGS) throw new AwsError('TagLimitExceeded', `At most ${MAX_TAGS} tags are allowed per resource.`);
    out.set(type, merged);
  }
  return out;
}

/** Canonical form of a request's parameters, minus the client token: same parameters, same fingerprint. */
export function fingerprint(params: QueryParams): string {
  const keys = Object.keys(params)
    .filter((key) => key !== 'ClientToken' && key !== 'Action' && key !== 'Version')
    .sort();
  return JSON.stringify(keys.map((key) => [key, params[key]]));
}
