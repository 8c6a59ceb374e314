import type { AuditStore } from '../audit/ports.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { findEntitlement } from '../catalogue/resolve.ts';
import type { Catalogue } from '../catalogue/schema.ts';
import { approversOf } from '../grants/recording.ts';
import { timeBoundSource } from '../grants/source.ts';
import { personOrId, type PeopleDirectory } from '../notifications/people.ts';
import type { Notification } from '../notifications/kinds.ts';
import type { RequestRepository } from '../requests/ports.ts';
import { recordDecidedDraft } from '../requests/request-audit.ts';
import { employeeAskedDraft } from './prepare-time-bound.ts';
import type { Clock } from '../shared/clock.ts';
import { isoSeconds } from '../shared/dates.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { clip } from '../shared/ids.ts';
import { asEmployee, type EmployeeLookup } from './employee.ts';
import { ExtensionRefusedError } from './errors.ts';
import { decideExtension, extensionRecord, planExtension } from './extension.ts';
import type { EndChange, ExtendOutcome, StoredGrant, TimeBoundGrants, TimeBoundRequests } from './ports.ts';
import type { ExtendRequest } from './schemas.ts';
import type { PreparedExtension } from '../../tasks/prepare-time-bound.ts';
import type { ExtendedTimeBoundGrants, ExtendTimeBoundGrantsInput } from '../../tasks/record-time-bound-grants.ts';

/**
 * The two Tasks of an extension (issue #17), run by the functions of a new time-bound request
 * (no new Lambda): Prepare Access Request for `action: 'extend'` (prepareExtension), and, once the
 * approval chain approved, Extend Grants (extendTimeBoundGrants). The expiry and reminder schedules
 * then move (Move Expiry Schedule, expiry.ts).
 */

export interface PrepareExtensionDeps {
  catalogue: Catalogue;
  employees: Pick<EmployeeLookup, 'get'>;
  requests: Pick<RequestRepository, 'get' | 'put'>;
  grantRequests: Pick<TimeBoundRequests, 'get'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  approvalTimeoutSeconds: number;
}

export async function prepareExtension(deps: PrepareExtensionDeps, input: { request: ExtendRequest; executionId: string; executionName: string }): Promise<PreparedExtension> {
  const { request, executionId, executionName } = input;
  const existing = await deps.requests.get(request.requestId);
  if (existing && existing.executionId !== executionId) throw new ConflictError(`requestId: request ${request.requestId} belongs to another execution`);
  await deps.audit.append(receivedDraft(request, executionId, executionName));

  let record = existing;
  if (!record) {
    const grant = await deps.grantRequests.get(request.grantRequestId);
    if (!grant || grant.employeeId !== request.employeeId) throw new NotFoundError(`grantRequestId: no time-bound request ${request.grantRequestId} of ${request.employeeId}`);
    const subject = await deps.employees.get(request.employeeId);
    if (!subject || subject.status !== 'active') throw new NotFoundError(`employeeId: no active employee ${request.employeeId}`);
    const now = deps.clock.now();
    const plan = planExtension(grant, request.by, now);
    // The catalogue as it is now caps the total, and the policy decides for the total, as for a new request.
    const entitlements = grant.entitlements.map((entitlement) => findEntitlement(deps.catalogue, entitlement.id));
    const decision = decideExtension({ subject: asEmployee(subject, grant.employeeDisplayName), entitlements, requester: request.requester, plan, by: request.by });
    record = extensionRecord(grant, request, { plan, decision, createdAt: now.toISOString(), executionId, executionName });
    await deps.requests.put(record);
  }
  await deps.audit.append(recordDecidedDraft(record));
  const extension = record.extension;
  if (!extension) throw new ConflictError(`requestId: request ${request.requestId} is not an extension`);
  return {
    requestId: record.requestId,
    employeeId: record.employeeId,
    grantRequestId: extension.grantRequestId,
    decision: record.decision,
    approvalTimeoutSeconds: deps.approvalTimeoutSeconds,
    currentEnd: extension.currentEnd,
    newEnd: extension.newEnd,
  };
}

function receivedDraft(request: ExtendRequest, executionId: string, executionName: string): AuditDraft {
  return employeeAskedDraft(request, { executionId, executionName }, `extension of time-bound request ${request.grantRequestId} by ${request.by}`, { requestType: 'extension' });
}

export interface ExtendGrantsDeps {
  grants: Pick<TimeBoundGrants, 'list' | 'extend'>;
  requests: Pick<TimeBoundRequests, 'markExtended' | 'getExtension' | 'markExtensionApplied'>;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  notices?: { notify(notification: Notification): Promise<{ status: string }>; people: PeopleDirectory };
}

/** Why a move was refused, in words the requester can act on. */
function refusal(grantRequestId: string, outcome: Extract<ExtendOutcome, { result: 'refused' }>, change: EndChange): ExtensionRefusedError {
  if (outcome.status !== undefined && outcome.status !== 'active' && outcome.status !== 'granted') {
    return new ExtensionRefusedError(`request ${grantRequestId} has ended (${outcome.status}) before the extension was approved; an ended grant is not brought back: ask for a new request`);
  }
  if (outcome.expiresAt === change.from) {
    return new ExtensionRefusedError(`request ${grantRequestId} reached its end at ${change.from} before the extension was approved; ask for a new request`);
  }
  return new ExtensionRefusedError(`request ${grantRequestId} now ends at ${outcome.expiresAt ?? 'an unknown time'}, not ${change.from} as when this extension was asked (another extension was approved first); ask again`);
}

/**
 * Extend Grants: every active grant item of the extended request, in key order, then its request
 * item, moved from `currentEnd` to `newEnd` by one conditional write each (dynamodb/end-change.ts).
 * Two extensions asked against the same end race for the first item; the loser is refused before it
 * writes anything. A grant that ended, or whose end passed, is refused: never brought back.
 */
export async function extendTimeBoundGrants(deps: ExtendGrantsDeps, input: ExtendTimeBoundGrantsInput): Promise<ExtendedTimeBoundGrants> {
  const { requestId: extensionId, grantRequestId, employeeId, currentEnd, newEnd } = input.extend;
  const change: EndChange = { from: currentEnd, to: newEnd, by: extensionId, now: isoSeconds(deps.clock.now()) };
  const owned = (await deps.grants.list(employeeId))
    .filter((stored) => stored.grant.source.kind === 'time-bound' && stored.grant.source.requestId === grantRequestId)
    .sort((a, b) => a.grantKey.localeCompare(b.grantKey));
  const live = owned.filter((stored) => stored.status === 'active');
  if (live.length === 0) throw refusal(grantRequestId, { result: 'refused', status: owned[0]?.status ?? 'ended' }, change);

  const moved: StoredGrant[] = [];
  for (const stored of live) {
    const outcome = await deps.grants.extend(employeeId, stored.grantKey, change);
    if (outcome.result === 'refused') throw refusal(grantRequestId, outcome, change);
    if (outcome.result === 'extended') moved.push(stored);
  }
  const request = await deps.requests.markExtended(grantRequestId, change);
  if (request.result === 'refused') throw refusal(grantRequestId, request, change);

  await deps.requests.markExtensionApplied(extensionId, input.executionId, deps.clock.now().toISOString());
  const extension = await deps.requests.getExtension(extensionId);
  const approvedBy = approversOf(input.results.approvals);
  for (const stored of live) await deps.audit.append(extendedDraft(input, stored, approvedBy));
  if (deps.notices && extension) {
    const person = personOrId(await deps.notices.people.person(employeeId), employeeId);
    const requesterEmail = extension.requester?.email;
    await deps.notices.notify({
      kind: 'access-extended',
      person,
      requestId: extensionId,
      ...(requesterEmail ? { requesterEmail } : {}),
      granted: [...new Set(live.map((stored) => stored.grant.entitlementId))].map((id) => ({ id })),
      previousEnd: currentEnd,
      endsAt: newEnd,
      approvedBy,
      reason: extension.justification ?? 'no reason was given',
    });
  }
  return { grantRequestId, previousEnd: currentEnd, expiresAt: newEnd, grantKeys: live.map((stored) => stored.grantKey), extended: moved.length };
}

function extendedDraft(input: ExtendTimeBoundGrantsInput, stored: StoredGrant, approvedBy: string[]): AuditDraft {
  const { requestId: extensionId, grantRequestId, employeeId, currentEnd, newEnd } = input.extend;
  const { entitlementId } = stored.grant;
  return {
    kind: 'grant.extended',
    subject: employeeId,
    entitlementId,
    actor: { type: 'system', id: 'record-time-bound-grants' },
    requestId: grantRequestId,
    executionId: input.executionId,
    reason: clip(`${entitlementId} (${timeBoundSource(grantRequestId)}) extended from ${currentEnd} to ${newEnd} by ${extensionId}; approved by ${approvedBy.join(', ')}`),
    idempotencyKey: `${input.executionName}/grant.extended/${stored.grantKey}`,
    detail: { basis: 'time-bound', previousEnd: currentEnd, expiresAt: newEnd, extensionId, approverIds: approvedBy.slice(0, 10) },
  };
}
