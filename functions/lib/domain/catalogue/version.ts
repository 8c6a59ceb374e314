import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A catalogue's version id: the SHA-256 of its content in canonical JSON (keys sorted, no
 * whitespace, `$schema` left out), so re-indenting or re-ordering keys is the same version
 * while any change of meaning is a new one. Recorded on every request, grant and audit entry.
 * Shape: `cat-` and the first 16 hex digits (64 bits: collisions are not a practical concern
 * for the handful of versions a company publishes).
 */
export const catalogueVersionPattern = /^cat-[0-9a-f]{16}$/;
export const catalogueVersionSchema = z.string().regex(catalogueVersionPattern, 'catalogueVersion must look like cat-0123456789abcdef');

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The version id of a parsed catalogue (after defaults are filled in, so leaving out a field and
 * spelling out its default are the same version).
 */
export function catalogueVersion(document: object): string {
  const content = Object.fromEntries(Object.entries(document).filter(([key]) => key !== '$schema'));
  return `cat-${createHash('sha256').update(canonical(content)).digest('hex').slice(0, 16)}`;
}
