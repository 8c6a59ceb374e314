import { createHash } from 'node:crypto';
import { canonicalJson } from './chain.ts';

/**
 * A frozen population written into the audit chain (an access review's snapshot): one
 * [person, entitlement, source] triple per item. The hash is over the sorted triples, so
 * an auditor can recompute it from the audit export alone, in any order the rows come.
 */
export type SnapshotTriple = [employeeId: string, entitlementId: string, source: string];

export function snapshotHash(triples: readonly SnapshotTriple[]): string {
  const sorted = [...triples].sort((a, b) => (a.join('\n') < b.join('\n') ? -1 : a.join('\n') > b.join('\n') ? 1 : 0));
  return createHash('sha256').update(canonicalJson(sorted), 'utf8').digest('hex');
}
