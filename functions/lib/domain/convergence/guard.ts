import { createHash } from 'node:crypto';
import type { PersonChange } from './person.ts';

/**
 * The convergence guard, like reconciliation's (domain/reconcile/removal.ts): a catalogue change
 * that would revoke more than `maxShare` of the active role grants changes nothing until an
 * operator confirms the plan by its fingerprint. The fingerprint hashes the catalogue version
 * and every grant and revocation line, order-independent, so a confirmation fits exactly the
 * reviewed plan: if the people or their grants change before it runs, the fingerprint changes too.
 */

export interface ConvergenceTotals {
  employees: number;
  changing: number;
  additions: number;
  revocations: number;
  activeRoleGrants: number;
}

export type ConvergenceGuard =
  | { outcome: 'passed'; confirmed: boolean }
  | { outcome: 'blocked'; message: string };

/** One line per access change, the form the fingerprint hashes. */
export function planLines(people: readonly PersonChange[]): string[] {
  return people.flatMap((person) => [
    ...person.add.map((entitlement) => `grant ${person.employeeId} ${entitlement.id}`),
    ...person.revoke.map((group) => `revoke ${person.employeeId} ${group.entitlementId}`),
    ...person.revokeAccounts.map((id) => `revoke ${person.employeeId} ${id}`),
    ...person.stale.map((key) => `close ${person.employeeId} ${key}`),
  ]);
}

export function planFingerprint(catalogueVersion: string, lines: readonly string[]): string {
  return createHash('sha256').update([catalogueVersion, ...[...lines].sort()].join('\n')).digest('hex').slice(0, 16);
}

export function guardVerdict(totals: ConvergenceTotals, maxShare: number, fingerprint: string, confirm: string | undefined): ConvergenceGuard {
  const share = totals.activeRoleGrants === 0 ? 0 : totals.revocations / totals.activeRoleGrants;
  if (share <= maxShare) return { outcome: 'passed', confirmed: false };
  if (confirm === fingerprint) return { outcome: 'passed', confirmed: true };
  const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;
  const why = confirm === undefined ? 'confirm it by its fingerprint' : `the confirmation ${confirm} is not this plan's (the plan changed since it was reviewed)`;
  return {
    outcome: 'blocked',
    message: `the catalogue change would revoke ${totals.revocations} of ${totals.activeRoleGrants} active role grants (${percent(share)}, more than the ${percent(maxShare)} allowed): nothing was changed; review the plan and ${why}: --confirm ${fingerprint}`,
  };
}
