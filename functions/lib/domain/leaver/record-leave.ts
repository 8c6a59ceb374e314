import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { clip } from '../shared/ids.ts';
import type { EndedRequests, LeaveStore } from './ports.ts';
import type { Notification } from '../notifications/kinds.ts';
import { personOrId, type PeopleDirectory } from '../notifications/people.ts';
import type { LeaveGrant } from './schemas.ts';
import type { ClosedGrants, CloseGrantsInput } from '../../tasks/close-grants.ts';
import type { RecordLeaveInput } from '../../tasks/record-leave.ts';
import { basisOfSource, decodeGrantSource } from '../grants/source.ts';

/**
 * Close Grants, Record Leave and Mark Employee Left: the grants table says the person holds
 * nothing, one grant.revoked audit entry per closed grant (idempotency key per execution and
 * grant), each time-bound request whose grant closed ended `revoked`, a per-person report of
 * what was removed, and the employee's status `left`.
 */

export interface RecordLeaveDeps {
  store: Pick<LeaveStore, 'closeGrants' | 'markLeft'>;
  audit: Pick<AuditStore, 'append'>;
  /** Time-bound requests of the closed time-bound grants end `revoked` (issue #11). */
  requests: EndedRequests;
  clock: Clock;
  /** Operators and the manager are told the leaver is done (leaver-done), once. */
  notices?: { notify(notification: Notification): Promise<{ status: string }>; people: PeopleDirectory };
}

/** Who ended a time-bound request the leave revoked, as the request's `revokedBy` says it. */
export const LEAVER_REVOKER = 'system:leaver';

export async function closeGrants(deps: Pick<RecordLeaveDeps, 'store' | 'clock'>, input: CloseGrantsInput): Promise<ClosedGrants> {
  return { closed: await deps.store.closeGrants(input.employeeId, input.executionName, deps.clock.now().toISOString()) };
}

export interface LeaveReport {
  employeeId: string;
  /** When identity access ended: the leaver's "Identity Access Ended" state, right after the user was deleted. */
  identityAccessEndedAt?: string;
  revokedEntitlements: string[];
  removed: Record<string, unknown>;
  auditEntries: number;
}

export async function markLeft(deps: Pick<RecordLeaveDeps, 'store' | 'clock'>, input: RecordLeaveInput): Promise<{ employee: 'marked' | 'unchanged' }> {
  return { employee: await deps.store.markLeft(input.employeeId, input.executionName, deps.clock.now().toISOString(), input.occurredAt) };
}

/** `$.results.identityAccessEnded.at`, written by the leaver's "Identity Access Ended" state. */
function identityEndedAt(input: RecordLeaveInput): string | undefined {
  const ended = input.results.identityAccessEnded as { at?: unknown } | undefined;
  return typeof ended?.at === 'string' ? ended.at : undefined;
}

function revokedDraft(input: RecordLeaveInput, grant: LeaveGrant): AuditDraft {
  const resourceId = grant.membershipId ?? grant.instanceId;
  return {
    kind: 'grant.revoked',
    subject: input.employeeId,
    entitlementId: grant.entitlementId,
    actor: { type: 'system', id: 'leaver' },
    requestId: input.executionName,
    executionId: input.executionId,
    reason: clip(`${grant.entitlementId} (${grant.source}) revoked: the employee left`),
    idempotencyKey: `${input.executionName}/grant.revoked/${grant.grantKey}`,
    detail: {
      basis: basisOfSource(grant.source),
      trigger: 'leaver',
      ...(resourceId ? { resourceId } : {}),
      ...(identityEndedAt(input) ? { identityEndedAt: identityEndedAt(input) } : {}),
    },
  };
}

export async function recordLeave(deps: RecordLeaveDeps, input: RecordLeaveInput): Promise<LeaveReport> {
  for (const grant of input.closed) await deps.audit.append(revokedDraft(input, grant));
  const timeBound = new Set(input.closed.flatMap((grant) => {
    const source = decodeGrantSource(grant.source);
    return source?.kind === 'time-bound' ? [source.requestId] : [];
  }));
  const at = deps.clock.now().toISOString();
  for (const requestId of timeBound) await deps.requests.markEnded(requestId, at, 'revoked', LEAVER_REVOKER);
  const endedAt = identityEndedAt(input);
  if (deps.notices) {
    const person = personOrId(await deps.notices.people.person(input.employeeId), input.employeeId);
    await deps.notices.notify({
      kind: 'leaver-done',
      person,
      requestId: input.executionName,
      removed: [...new Set(input.closed.map((grant) => grant.entitlementId))].sort().map((id) => ({ id })),
      userDeleted: input.results.user !== undefined,
      workstationsRetired: new Set(input.closed.flatMap((grant) => (grant.instanceId ? [grant.instanceId] : []))).size,
    });
  }
  return {
    employeeId: input.employeeId,
    ...(endedAt ? { identityAccessEndedAt: endedAt } : {}),
    revokedEntitlements: [...new Set(input.closed.map((grant) => grant.entitlementId))].sort(),
    removed: input.results,
    auditEntries: input.closed.length,
  };
}
