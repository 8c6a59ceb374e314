import type { IdentityStorePort } from '../provision/ports.ts';
import type { AuditStore } from '../audit/ports.ts';
import type { TimeBoundGrants } from '../time-bound/ports.ts';
import { findEntitlement } from '../catalogue/resolve.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import { unjustifiedAfter } from '../grants/grants.ts';
import type { Clock } from '../shared/clock.ts';
import { clip } from '../shared/ids.ts';
import { CampaignNotFoundError, ReviewItemNotFoundError } from './errors.ts';
import type { Remediation, ReviewItem } from './items.ts';
import type { ReviewStore } from './ports.ts';
import { basisOfSource, roleOfSource } from '../grants/source.ts';
import type { AssignmentProgress } from '../account-assignments/progress.ts';
import { targetsToRemove, type AssignmentTarget } from '../account-assignments/targets.ts';
import { DomainError, TransientError } from '../shared/errors.ts';
import type { Entitlement } from '../catalogue/schema.ts';

/**
 * "Revoke Reviewed Access" (one Map iteration per revoke decision): the revocation path every
 * workflow shares. The item's grant ends (conditional close of the grant item, `revokedBy` =
 * this execution), and the group membership goes only if no other active grant of the person
 * still justifies it (`unjustifiedAfter`, the rule the mover and expiry use). A role-sourced
 * revoke raises a finding for the owner group: the role grants it again at the next change
 * unless the catalogue changes. An account assignment goes the same way: the permission set on
 * each account that no other active grant still names is deleted (DeleteAccountAssignment, its
 * deletion status polled to the end by account-assignments/settle.ts over advance.ts, the turn
 * the time-bound and leaver removals run) before the grant closes. Only "Revoke Item" has the
 * `accounts` port, so the console and the e-mailed link leave such an item `decided` for the
 * deadline's Map (`pending`). A workstation is not removed here (an operator does; finding).
 * The item records when access was actually removed. Safe to run again: a closed grant is not
 * closed twice, and a delete of an assignment already gone succeeds without a call (advance.ts).
 */

/** Deletes the given assignments of the person's own Identity Center user and waits for Identity Center to finish. */
export interface AccountRemover {
  remove(employeeId: string, userName: string, targets: readonly AssignmentTarget[]): Promise<AssignmentProgress>;
}

/** A revoked item's account-assignment removal FAILED in Identity Center: the item stays decided (open in the report). */
export class AccountRemovalFailedError extends DomainError {
  readonly statusCode = 502;
}

export interface RemediateDeps {
  store: Pick<ReviewStore, 'getCampaign' | 'getItem' | 'replaceItem'>;
  grants: Pick<TimeBoundGrants, 'list' | 'close'>;
  identity: Pick<IdentityStorePort, 'findUserId' | 'findMembership' | 'removeMembership'>;
  catalogue: Catalogue;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  /** Account-assignment removal ("Revoke Item" only); without it such an item is left `pending`. */
  accounts?: AccountRemover;
}

export interface RemediateInput {
  campaignId: string;
  itemId: string;
  executionName: string;
}

export interface RemediateResult {
  itemId: string;
  /** pending: an account assignment left for the deadline's "Revoke Item" (this caller cannot remove it). */
  remediation: Remediation | 'not-revoked' | 'pending';
  remediatedAt?: string;
}

export async function remediateItem(deps: RemediateDeps, input: RemediateInput): Promise<RemediateResult> {
  const campaign = await deps.store.getCampaign(input.campaignId);
  if (!campaign) throw new CampaignNotFoundError(`no campaign ${input.campaignId}`);
  const item = await deps.store.getItem(input.campaignId, input.itemId);
  if (!item) throw new ReviewItemNotFoundError(`campaign ${input.campaignId} has no item ${input.itemId}`);
  if (item.status === 'remediated') return { itemId: item.itemId, remediation: item.remediation ?? 'kept', ...(item.remediatedAt ? { remediatedAt: item.remediatedAt } : {}) };
  if (item.status !== 'decided' || item.decision !== 'revoke') return { itemId: item.itemId, remediation: 'not-revoked' };

  const entitlement = findEntitlement(deps.catalogue, item.entitlementId);
  const owner = entitlement.ownerGroupEmail.toLowerCase();
  const base = { subject: item.employeeId, entitlementId: item.entitlementId, actor: { type: 'system' as const, id: 'access-review' }, requestId: campaign.campaignId, executionId: campaign.executionId };
  let remediation: Remediation;
  if (entitlement.kind === 'account-assignment' && !deps.accounts) return { itemId: item.itemId, remediation: 'pending' };
  if (entitlement.kind === 'workstation') {
    remediation = 'manual';
    await deps.audit.append({
      ...base,
      kind: 'review.finding',
      reason: clip(`${item.entitlementId} of ${item.employeeId} was revoked in review but is a workstation: an operator must remove it`),
      idempotencyKey: `${campaign.campaignId}/review.finding/${item.itemId}`,
      detail: { finding: 'manual-removal', source: item.source, owner },
    });
  } else {
    const stored = await deps.grants.list(item.employeeId);
    const active = stored.filter((grant) => grant.status === 'active');
    const mine = active.find((grant) => grant.grantKey === item.grantKey);
    const removes = mine !== undefined && (await removeAccess(deps, item, entitlement, active, mine));
    const at = deps.clock.now().toISOString();
    // Closed before (a retry, or the grant ended through another path meanwhile): the access is no longer this grant's.
    const closed = mine ? await deps.grants.close(item.employeeId, item.grantKey, 'revoked', at, input.executionName) : false;
    remediation = removes ? 'removed' : 'kept';
    const what = entitlement.kind === 'group' ? 'membership' : 'account assignment';
    await deps.audit.append({
      ...base,
      kind: 'grant.revoked',
      reason: clip(
        `${item.entitlementId} (${item.source}) revoked in access review ${campaign.campaignId}; ${
          remediation === 'removed' ? `${what} removed` : mine ? `${what} kept: another grant still justifies it` : 'grant had already ended'
        }${closed ? '' : ' (grant item already closed)'}`,
      ),
      idempotencyKey: `${campaign.campaignId}/grant.revoked/${item.itemId}`,
      detail: { basis: basisOfSource(item.source), trigger: 'review' },
    });
    const roleId = roleOfSource(item.source);
    if (roleId !== undefined) {
      await deps.audit.append({
        ...base,
        kind: 'review.finding',
        reason: clip(`${item.entitlementId} was revoked in review but role ${roleId} grants it: the role grants it again at the next change unless ${owner} changes the catalogue`),
        idempotencyKey: `${campaign.campaignId}/review.finding/${item.itemId}`,
        detail: { finding: 'role-grants-again', source: item.source, owner },
      });
    }
  }
  const remediatedAt = deps.clock.now().toISOString();
  const next: ReviewItem = { ...item, status: 'remediated', remediation, ...(remediation === 'manual' ? {} : { remediatedAt }) };
  await deps.store.replaceItem(next, { status: 'decided', stage: item.stage });
  return { itemId: item.itemId, remediation, ...(next.remediatedAt ? { remediatedAt: next.remediatedAt } : {}) };
}

type StoredGrants = Awaited<ReturnType<RemediateDeps['grants']['list']>>;

/**
 * Removes what the item's grant alone justifies (nothing another active grant still names, the
 * rule the mover and expiry use); true when something was (or had already been) removed.
 */
async function removeAccess(deps: RemediateDeps, item: ReviewItem, entitlement: Entitlement, active: StoredGrants, mine: StoredGrants[number]): Promise<boolean> {
  if (entitlement.kind === 'group') {
    const removes = unjustifiedAfter(
      active.map((grant) => grant.grant),
      (grant) => grant === mine.grant,
      deps.clock.now(),
    ).includes(item.entitlementId);
    if (!removes) return false;
    const userId = await deps.identity.findUserId(item.personEmail, item.employeeId);
    const membership = userId ? await deps.identity.findMembership(userId, { id: entitlement.id, kind: 'group', displayName: entitlement.displayName }) : undefined;
    if (membership) await deps.identity.removeMembership(membership.membershipId);
    return true;
  }
  // Another active grant of an entitlement the catalogue no longer names justifies nothing.
  const remaining = active.filter((grant) => grant !== mine).flatMap((grant) => deps.catalogue.entitlements.filter((candidate) => candidate.id === grant.grant.entitlementId));
  const targets = targetsToRemove([entitlement], remaining);
  if (targets.length === 0 || !deps.accounts) return false;
  const progress = await deps.accounts.remove(item.employeeId, item.personEmail, targets);
  // Still settling when the function's wait ran out: the ASL retries "Revoke Item"; the delete already started is found in progress again.
  if (progress.state === 'in-progress') throw new TransientError(`removal of ${item.entitlementId} from ${item.employeeId} still in progress`);
  if (progress.state === 'failed') throw new AccountRemovalFailedError(clip(`removal of ${item.entitlementId} from ${item.employeeId} failed: ${progress.error?.Cause ?? 'no reason given'}`));
  return true;
}
