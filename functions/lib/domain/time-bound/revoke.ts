import type { AuditStore } from '../audit/ports.ts';
import { tellEnded, type TimeBoundNotices } from './notices.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { findEntitlement } from '../catalogue/resolve.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import { entitlementsToRevoke, isActive, sameSource, type GrantSource } from '../grants/grants.ts';
import { targetsToRemove } from '../account-assignments/targets.ts';
import { clip } from '../shared/ids.ts';
import type { IdentityStorePort, UndoOutcome } from '../provision/ports.ts';
import type { EmployeeLookup } from './employee.ts';
import type { TimeBoundGrants, StoredGrant } from './ports.ts';
import type { TimeBoundRequests } from './ports.ts';
import type { CloseTimeBoundGrantsInput } from '../../tasks/close-time-bound-grants.ts';
import type { PlannedRevocation, PlanTimeBoundRevocationInput } from '../../tasks/plan-time-bound-revocation.ts';
import type { RemoveTimeBoundMembershipsInput } from '../../tasks/remove-time-bound-memberships.ts';
import { timeBoundSource } from '../grants/source.ts';
import { staleExpiry } from './expiry.ts';

/**
 * The revoke path: when a request's grants end (expiry or early revoke), remove only the
 * memberships nothing else still justifies (a role grant, another unexpired time-bound grant), close
 * the request's grant items, audit grant.revoked per closed item. Every step reads the table
 * again, so a second run, or a revoke of a request never granted, changes nothing.
 */

const ownedBy = (requestId: string) => (stored: StoredGrant) => stored.grant.source.kind === 'time-bound' && stored.grant.source.requestId === requestId;

export async function planTimeBoundRevocation(
  deps: { grants: Pick<TimeBoundGrants, 'list'>; employees: Pick<EmployeeLookup, 'get'>; catalogue: Catalogue; clock: Clock },
  input: PlanTimeBoundRevocationInput,
): Promise<PlannedRevocation> {
  const { requestId, employeeId } = input.revoke;
  const active = (await deps.grants.list(employeeId)).filter((stored) => stored.status === 'active');
  const ending = active.filter(ownedBy(requestId));
  const first = ending[0];
  if (!first) return { noop: true, userName: null, entitlements: [], accountTargets: [], revoked: [] };
  if (staleExpiry(input.revoke, ending)) return { noop: true, stale: true, userName: null, entitlements: [], accountTargets: [], revoked: [] };
  const source: GrantSource = first.grant.source;
  const revoked = entitlementsToRevoke(
    active.map((stored) => stored.grant),
    source,
    deps.clock.now(),
  );
  const entitlements = revoked.flatMap((id) => {
    const entitlement = findEntitlement(deps.catalogue, id);
    return entitlement.kind === 'group' ? [{ id: entitlement.id, kind: entitlement.kind, displayName: entitlement.displayName }] : [];
  });
  const now = deps.clock.now();
  const remaining = active.filter((stored) => !sameSource(stored.grant.source, source) && isActive(stored.grant, now));
  const known = (id: string) => deps.catalogue.entitlements.filter((e) => e.id === id);
  const accountTargets = targetsToRemove(
    ending.flatMap((stored) => known(stored.grant.entitlementId)),
    remaining.flatMap((stored) => known(stored.grant.entitlementId)),
  );
  const employee = await deps.employees.get(employeeId);
  return { noop: false, userName: employee?.email ?? null, entitlements, accountTargets, revoked };
}

export interface RemovedMembership {
  entitlementId: string;
  membershipId?: string;
  outcome: UndoOutcome | 'not-a-member';
}

export async function revokeMemberships(
  identity: Pick<IdentityStorePort, 'findUserId' | 'findMembership' | 'removeMembership'>,
  input: RemoveTimeBoundMembershipsInput,
): Promise<{ removed: RemovedMembership[] }> {
  const userId = input.userName && input.entitlements.length > 0 ? await identity.findUserId(input.userName, input.employeeId) : undefined;
  if (!userId) return { removed: input.entitlements.map((group) => ({ entitlementId: group.id, outcome: 'not-a-member' })) };
  const removed: RemovedMembership[] = [];
  for (const group of input.entitlements) {
    const membership = await identity.findMembership(userId, group);
    if (!membership) removed.push({ entitlementId: group.id, outcome: 'not-a-member' });
    else removed.push({ entitlementId: group.id, membershipId: membership.membershipId, outcome: await identity.removeMembership(membership.membershipId) });
  }
  return { removed };
}

export interface CloseDeps {
  grants: Pick<TimeBoundGrants, 'list' | 'close'>;
  requests: Pick<TimeBoundRequests, 'markEnded'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  notices?: TimeBoundNotices;
}

export async function closeTimeBoundGrants(deps: CloseDeps, input: CloseTimeBoundGrantsInput): Promise<{ closed: string[]; noop: boolean; stale?: true }> {
  const { requestId, employeeId, reason, revokedBy } = input.revoke;
  const at = deps.clock.now().toISOString();
  const status = reason === 'expired' ? 'expired' : 'revoked';
  const closed: StoredGrant[] = [];
  const owned = (await deps.grants.list(employeeId)).filter(ownedBy(requestId));
  // An extension approved between Plan Revocation and here: the grant now ends later; nothing ends now.
  const movedTo = staleExpiry(input.revoke, owned.filter((stored) => stored.status === 'active'));
  if (movedTo) {
    await deps.audit.append(noopDraft(input, `the grant was extended to ${movedTo}; this expiry schedule was for ${input.revoke.endsAt ?? 'an earlier end'}`));
    return { closed: [], noop: true, stale: true };
  }
  for (const stored of owned) {
    const mine = stored.status === status && stored.revokedBy === input.executionName;
    if (mine || (stored.status === 'active' && (await deps.grants.close(employeeId, stored.grantKey, status, at, input.executionName)))) closed.push(stored);
  }
  for (const stored of closed) await deps.audit.append(revokedDraft(input, stored));
  await deps.requests.markEnded(requestId, at, reason, revokedBy);
  if (closed.length === 0) await deps.audit.append(noopDraft(input));
  if (closed.length > 0 && deps.notices) {
    await tellEnded(deps.notices, { employeeId, requestId, removed: [...new Set(closed.map((s) => s.grant.entitlementId))], reason, revokedBy, note: input.revoke.note });
  }
  return { closed: closed.map((stored) => stored.grantKey), noop: closed.length === 0 };
}

const howEnded = ({ revoke }: CloseTimeBoundGrantsInput): string => (revoke.reason === 'expired' ? 'expired' : `revoked early by ${revoke.revokedBy ?? 'an operator'}`);
const actorOf = ({ revoke }: CloseTimeBoundGrantsInput): AuditDraft['actor'] =>
  revoke.revokedBy ? { type: revoke.revokedAs ?? 'operator', id: revoke.revokedBy } : { type: 'system', id: 'expiry-schedule' };

function revokedDraft(input: CloseTimeBoundGrantsInput, stored: StoredGrant): AuditDraft {
  const { entitlementId } = stored.grant;
  const removed = input.revoked.includes(entitlementId);
  return {
    kind: 'grant.revoked',
    subject: input.revoke.employeeId,
    entitlementId,
    actor: actorOf(input),
    requestId: input.revoke.requestId,
    executionId: input.executionId,
    reason: clip(`${entitlementId} (${timeBoundSource(input.revoke.requestId)}) ${howEnded(input)}${input.revoke.note ? ` (reason: ${input.revoke.note})` : ''}; ${removed ? 'membership removed' : 'membership kept: another grant still justifies it'}`),
    idempotencyKey: `${input.executionName}/grant.revoked/${stored.grantKey}`,
    detail: { basis: 'time-bound', trigger: input.revoke.reason === 'expired' ? 'expiry' : input.revoke.revokedAs === 'employee' ? 'requester' : 'operator', ...(stored.membershipId && removed ? { resourceId: stored.membershipId } : {}) },
  };
}

function noopDraft(input: CloseTimeBoundGrantsInput, why = 'nothing active to revoke (never granted, or already ended)'): AuditDraft {
  return {
    kind: 'request.received',
    subject: input.revoke.employeeId,
    actor: actorOf(input),
    requestId: input.revoke.requestId,
    executionId: input.executionId,
    reason: clip(`revoke of time-bound request ${input.revoke.requestId} (${howEnded(input)}): ${why}; nothing changed`),
    idempotencyKey: `${input.executionName}/revoke.noop`,
    detail: { requestType: 'time-bound' },
  };
}
