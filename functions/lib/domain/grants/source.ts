/**
 * The grants table's `source` attribute, the one codec for it: `role:<roleId>` for what a role
 * grants, `time-bound:<requestId>` for an approved time-bound request. Every file that writes a
 * source string or reads one goes through here; the grants-table sort key uses the same kind
 * names (`grantKey` in grants.ts).
 */

export type SourceKind = 'role' | 'time-bound';
export type SourceRef = { kind: 'role'; roleId: string } | { kind: 'time-bound'; requestId: string };

/** The ids a source names (role ids and request ids both keep to these characters). */
export const GRANT_SOURCE_PATTERN = /^(role|time-bound):[A-Za-z0-9_-]{1,128}$/;

export function encodeGrantSource(source: SourceRef): string {
  return source.kind === 'role' ? `role:${source.roleId}` : `time-bound:${source.requestId}`;
}

export const roleSource = (roleId: string): string => encodeGrantSource({ kind: 'role', roleId });
export const timeBoundSource = (requestId: string): string => encodeGrantSource({ kind: 'time-bound', requestId });

/** The source a stored string names; undefined for anything that is neither kind or names no id. */
export function decodeGrantSource(stored: string): SourceRef | undefined {
  const colon = stored.indexOf(':');
  const kind = stored.slice(0, colon);
  const id = stored.slice(colon + 1);
  if (colon < 0 || id === '') return undefined;
  if (kind === 'role') return { kind, roleId: id };
  if (kind === 'time-bound') return { kind, requestId: id };
  return undefined;
}

/** The role a stored source names; undefined when it is not a role source. */
export function roleOfSource(stored: string): string | undefined {
  const source = decodeGrantSource(stored);
  return source?.kind === 'role' ? source.roleId : undefined;
}

export const isRoleSource = (stored: string): boolean => roleOfSource(stored) !== undefined;
export const isTimeBoundSource = (stored: string): boolean => decodeGrantSource(stored)?.kind === 'time-bound';

/** The audit `basis` of a grant with this stored source: time-bound, or else its role. */
export const basisOfSource = (stored: string): SourceKind => (isTimeBoundSource(stored) ? 'time-bound' : 'role');
