import { createHash } from 'node:crypto';
import type { ActualState, DesiredState, Finding } from './reconcile.ts';

/**
 * Remove mode's plan, pure: which orphans a removal run would act on, the mass-deletion guard's
 * verdict on it, and the plan's fingerprint. Report mode prints the fingerprint; remove mode
 * recomputes the plan from what exists then and acts only when the operator's `confirm` equals
 * the new fingerprint, so a removal executes exactly the reviewed plan or nothing.
 *
 * Acted on: orphan users (deleted, as the leaver deletes them), unexpected memberships of
 * active people (removed), unexpected account assignments of a catalogue permission set on a
 * catalogue account (deleted, and waited for), untracked instances (tagged for review and
 * stopped, never terminated: their data stays). Reported only: missing memberships and
 * assignments (a workflow grants those), assignments of permission sets or accounts the catalogue
 * does not name (not Gatehouse's to remove: an administrator's), and untracked volumes (a stopped
 * instance keeps its volumes; review decides).
 */

export type RemovalAction =
  | { action: 'delete-user'; userId: string; employeeId?: string; why: 'left' | 'unknown' }
  | { action: 'remove-membership'; membershipId: string; userId: string; employeeId: string; entitlementId: string }
  | { action: 'remove-assignment'; userId: string; employeeId: string; entitlementId: string; accountId: string; permissionSet: string }
  | { action: 'stop-instance'; instanceId: string; employeeId?: string; entitlementId?: string };

export type GuardVerdict =
  | { outcome: 'passed' }
  | { outcome: 'blocked'; reason: 'empty-roster' | 'over-share'; message: string };

export interface RemovalPlan {
  actions: RemovalAction[];
  /** 16 hex characters: SHA-256 of the sorted action lines. */
  fingerprint: string;
  guard: GuardVerdict;
}

export interface RemovalPolicy {
  /** Largest share (0-1) of existing Identity Store users one run may delete, e.g. 0.1. */
  maxShare: number;
}

/** One line per action, the form the fingerprint hashes and the e-mail lists. */
export function describeAction(action: RemovalAction): string {
  switch (action.action) {
    case 'delete-user':
      return `delete-user ${action.userId} (${action.employeeId ?? 'unknown person'}, ${action.why})`;
    case 'remove-membership':
      return `remove-membership ${action.membershipId} (${action.employeeId}, ${action.entitlementId})`;
    case 'remove-assignment':
      return `remove-assignment ${action.permissionSet}@${action.accountId}/${action.userId} (${action.employeeId}, ${action.entitlementId})`;
    case 'stop-instance':
      return `stop-instance ${action.instanceId} (${action.employeeId ?? 'no employee tag'})`;
  }
}

/** Fingerprint of a list of actions: order-independent, 64 bits are plenty to tell plans apart. */
export function fingerprintOf(actions: readonly RemovalAction[]): string {
  const lines = actions.map(describeAction).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}

function actionsFor(findings: readonly Finding[]): RemovalAction[] {
  return findings.flatMap((finding): RemovalAction[] => {
    switch (finding.kind) {
      case 'orphan-user':
        return [{ action: 'delete-user', userId: finding.userId, ...(finding.employeeId ? { employeeId: finding.employeeId } : {}), why: finding.why }];
      case 'unexpected-membership':
        return [{ action: 'remove-membership', membershipId: finding.membershipId, userId: finding.userId, employeeId: finding.employeeId, entitlementId: finding.entitlementId }];
      case 'unexpected-assignment':
        // Only what the catalogue manages (its permission set on its account): anything else is an administrator's.
        return finding.entitlementId
          ? [{ action: 'remove-assignment', userId: finding.userId, employeeId: finding.employeeId, entitlementId: finding.entitlementId, accountId: finding.accountId, permissionSet: finding.permissionSet }]
          : [];
      case 'untracked-instance':
        return [
          {
            action: 'stop-instance',
            instanceId: finding.resourceId,
            ...(finding.employeeId ? { employeeId: finding.employeeId } : {}),
            ...(finding.entitlementId ? { entitlementId: finding.entitlementId } : {}),
          },
        ];
      default:
        return [];
    }
  });
}

/** The mass-deletion guard: an empty active roster, or more user deletions than the share allows, blocks everything. */
export function guard(actions: readonly RemovalAction[], desired: DesiredState, actual: ActualState, policy: RemovalPolicy): GuardVerdict {
  if (!desired.employees.some((employee) => employee.status === 'active')) {
    return { outcome: 'blocked', reason: 'empty-roster', message: 'the active roster is empty: the source of truth may be broken, nothing is removed' };
  }
  const deletions = actions.filter((action) => action.action === 'delete-user').length;
  const limit = Math.floor(actual.users.length * policy.maxShare);
  if (deletions > limit) {
    const percent = Math.round(policy.maxShare * 1000) / 10;
    const message = `removing ${deletions} of ${actual.users.length} users exceeds the ${percent}% limit (${limit}): nothing is removed`;
    return { outcome: 'blocked', reason: 'over-share', message };
  }
  return { outcome: 'passed' };
}

export function planRemoval(findings: readonly Finding[], desired: DesiredState, actual: ActualState, policy: RemovalPolicy): RemovalPlan {
  const actions = actionsFor(findings);
  return { actions, fingerprint: fingerprintOf(actions), guard: guard(actions, desired, actual, policy) };
}
