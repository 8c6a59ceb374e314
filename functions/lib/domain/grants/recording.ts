import { ValidationError } from '../shared/errors.ts';

/** What a recorded grant names, shared by every workflow that records grants (joiner, time-bound). */

/** Who approved a grant, for its item: the approvers in chain order, or `['auto-approved']`. */
export function approversOf(approvals: readonly { approver: string }[] | undefined): string[] {
  return approvals?.length ? approvals.map((approval) => approval.approver) : ['auto-approved'];
}

/** What provisioning returns of the identity (provision/schemas.ts IdentityResult), as far as a grant needs it. */
interface ProvisionedIdentity {
  userId: string;
  memberships: readonly { entitlementId: string; membershipId: string }[];
}

/** The user and membership that realise a group grant; a grant is never recorded without them. */
export function membershipFor(identity: ProvisionedIdentity | undefined, entitlementId: string): { userId: string; membershipId: string } {
  const membership = identity?.memberships.find((candidate) => candidate.entitlementId === entitlementId);
  if (!identity || !membership) {
    throw new ValidationError(`results.identity.memberships: no membership for ${entitlementId}; the grant cannot be recorded`);
  }
  return { userId: identity.userId, membershipId: membership.membershipId };
}
