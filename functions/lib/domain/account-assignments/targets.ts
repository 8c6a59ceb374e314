import { z } from 'zod';
import { accountAssignmentEntitlementSchema, type Entitlement } from '../catalogue/schema.ts';

/**
 * What an `account-assignment` entitlement grants, one target per account: the permission set
 * on that account, assigned to the person's own Identity Center user. Targets, not entitlements,
 * are what Identity Center holds, so they are what is counted when a source ends.
 */

export const assignmentTargetSchema = z.object({
  entitlementId: accountAssignmentEntitlementSchema.shape.id,
  /** As the catalogue names it: a permission set name or ARN (the adapter resolves names). */
  permissionSet: accountAssignmentEntitlementSchema.shape.permissionSet,
  accountId: z.string().regex(/^\d{12}$/, 'an account id is 12 digits'),
});
export type AssignmentTarget = z.infer<typeof assignmentTargetSchema>;

/** The targets of the account-assignment entitlements among `entitlements`, in catalogue order. */
export function targetsOf(entitlements: readonly Entitlement[]): AssignmentTarget[] {
  return entitlements.flatMap((entitlement) =>
    entitlement.kind === 'account-assignment'
      ? entitlement.accountIds.map((accountId) => ({ entitlementId: entitlement.id, permissionSet: entitlement.permissionSet, accountId }))
      : [],
  );
}

/** One Identity Center assignment (permission set on account), whichever entitlement names it. */
export const assignmentKey = (target: Pick<AssignmentTarget, 'permissionSet' | 'accountId'>): string => `${target.permissionSet}@${target.accountId}`;

/**
 * What ending a source removes: the targets of its entitlements that no remaining grant (another
 * source of the same entitlement, or another entitlement with the same permission set on the same
 * account) still justifies. Each assignment appears once.
 */
export function targetsToRemove(ending: readonly Entitlement[], remaining: readonly Entitlement[]): AssignmentTarget[] {
  const kept = new Set(targetsOf(remaining).map(assignmentKey));
  const seen = new Set<string>();
  return targetsOf(ending).filter((target) => {
    const key = assignmentKey(target);
    if (kept.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
