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

/**
 * "Revoke Reviewed Access" (one Map iteration per revoke decision): the revocation path every
 * workflow shares. The item's grant ends (conditional close of the grant item, `revokedBy` =
 * this execution), and the group membership goes only if no other active grant of the person
 * still justifies it (`unjustifiedAfter`, the rule the mover and expiry use). A role-sourced
 * revoke raises a finding for the owner group: the role grants it again at the next change
 * unless the catalogue changes. A workstation is not removed here (an operator does; finding).
 * The item records when access was actually removed. Safe to run again.
 */

export interface RemediateDeps {
  store: Pick<ReviewStore, 'getCampaign' | 'getItem' | 'replaceItem'>;
  grants: Pick<TimeBoundGrants, 'list' | 'close'>;
  identity: Pick<IdentityStorePort, 'findUserId' | 'findMembership' | 'removeMembership'>;
  catalogue: Catalogue;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
}

export interface RemediateInput {
  campaignId: string;
  itemId: string;
  executionName: string;
}

export interface RemediateResult {
  itemId: string;
  remediation: Remediation | 'not-revoked';
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
  if (entitlement.kind !== 'group') {
    remediation = 'manual';
    await deps.audit.append({
      ...base,
      kind: 'review.finding',
      reason: clip(`${item.entitlementId} of ${item.employeeId} was revoked in review but is not a group: an operator must remove it`),
      idempotencyKey: `${campaign.campaignId}/review.finding/${item.itemId}`,
      detail: { finding: 'manual-removal', source: item.source, owner },
    });
  } else {
    const stored = await deps.grants.list(item.employeeId);
    const active = stored.filter((grant) => grant.status === 'active');
    const mine = active.find((grant) => grant.grantKey === item.grantKey);
    const removes = unjustifiedAfter(
      active.map((grant) => grant.grant),
      (grant) => mine !== undefined && grant === mine.grant,
      deps.clock.now(),
    ).includes(item.entitlementId);
    if (mine && removes) {
      const userId = await deps.identity.findUserId(item.personEmail, item.employeeId);
      const membership = userId ? await deps.identity.findMembership(userId, { id: entitlement.id, kind: 'group', displayName: entitlement.displayName }) : undefined;
      if (membership) await deps.identity.removeMembership(membership.membershipId);
    }
    const at = deps.clock.now().toISOString();
    // Closed before (a retry, or the grant ended through another path meanwhile): the access is no longer this grant's.
    const closed = mine ? await deps.grants.close(item.employeeId, item.grantKey, 'revoked', at, input.executionName) : false;
    remediation = mine && removes ? 'removed' : 'kept';
    await deps.audit.append({
      ...base,
      kind: 'grant.revoked',
      reason: clip(
        `${item.entitlementId} (${item.source}) revoked in access review ${campaign.campaignId}; ${
          remediation === 'removed' ? 'membership removed' : mine ? 'membership kept: another grant still justifies it' : 'grant had already ended'
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
