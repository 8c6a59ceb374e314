import { toMinutes } from '../catalogue/duration.ts';
import { maxTimeBoundMinutes, type Entitlement } from '../catalogue/schema.ts';
import { durationInWords } from '../shared/duration-words.ts';
import { isoSeconds } from '../shared/dates.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../shared/errors.ts';
import { decide } from '../policy/policy.ts';
import type { PolicyDecision, Requester } from '../policy/schema.ts';
import type { Employee } from '../events/employee-events.ts';
import type { RequestRecord } from '../requests/request-record.ts';
import type { EmployeeRecord } from './employee.ts';
import type { TimeBoundRequestView } from './ports.ts';
import type { ExtendRequest } from './schemas.ts';

/**
 * Extending a running time-bound grant (issue #17), as plain functions: what the new end is, that
 * the total stays within the catalogue's maximum, who may ask, and what the policy decides. An
 * extension is a request of its own (kind `extension`) through the same policy and approval chain as a
 * new time-bound request; the grant's end moves only when the chain approved it.
 */

export interface ExtensionPlan {
  /** The grant's end when the extension was asked. */
  currentEnd: string;
  /** currentEnd + by, in whole seconds. */
  newEnd: string;
  byMinutes: number;
  /** From the grant's start to its new end: what the catalogue's maximum caps. */
  totalMinutes: number;
}

/** The grant's end moved by `by`; a ConflictError when the request is not granted or has reached its end. */
export function planExtension(grant: Pick<TimeBoundRequestView, 'requestId' | 'status' | 'grantedAt' | 'expiresAt' | 'endReason'>, by: string, now: Date): ExtensionPlan {
  if (grant.status === 'ended') {
    throw new ConflictError(`request ${grant.requestId} has ended (${grant.endReason ?? 'ended'}); an ended grant cannot be extended: ask for a new request`);
  }
  if (grant.status !== 'granted' || !grant.grantedAt || !grant.expiresAt) {
    throw new ConflictError(`request ${grant.requestId} is ${grant.status ?? 'not granted yet'}; only a granted request can be extended`);
  }
  if (Date.parse(grant.expiresAt) <= now.getTime()) {
    throw new ConflictError(`request ${grant.requestId} reached its end at ${grant.expiresAt}; an ended grant cannot be extended: ask for a new request`);
  }
  const byMinutes = toMinutes(by);
  const newEnd = isoSeconds(new Date(Date.parse(grant.expiresAt) + byMinutes * 60_000));
  // Rounded: expiresAt keeps whole seconds while grantedAt keeps milliseconds.
  const totalMinutes = Math.round((Date.parse(newEnd) - Date.parse(grant.grantedAt)) / 60_000);
  return { currentEnd: grant.expiresAt, newEnd, byMinutes, totalMinutes };
}

/** The catalogue's maximum caps the total, not each extension (ValidationError naming the entitlement). */
export function checkTotal(entitlements: readonly Entitlement[], plan: ExtensionPlan, by: string): void {
  for (const entitlement of entitlements) {
    const max = maxTimeBoundMinutes(entitlement);
    if (max === undefined) throw new ForbiddenError(`${entitlement.id} is not requestable just-in-time any more, so it cannot be extended`);
    if (plan.totalMinutes > max) {
      throw new ValidationError(
        `by: extending by ${durationInWords(by)} makes ${durationInWords(plan.totalMinutes)} in all, over the ${durationInWords(max)} maximum for ${entitlement.id}`,
      );
    }
  }
}

/** The holder, or the holder's manager (by employee id or work e-mail); anyone else 403. */
export function checkMayExtend(caller: Pick<EmployeeRecord, 'employeeId' | 'email'>, subject: Pick<EmployeeRecord, 'employeeId' | 'managerId' | 'managerEmail'>): 'holder' | 'manager' {
  if (caller.employeeId === subject.employeeId) return 'holder';
  if (subject.managerId === caller.employeeId || subject.managerEmail?.toLowerCase() === caller.email.toLowerCase()) return 'manager';
  throw new ForbiddenError(`only ${subject.employeeId} or their manager can extend this grant`);
}

/** The same policy as a new time-bound request, for the total duration: the same chain, the same approvers. */
export function decideExtension(facts: { subject: Employee; entitlements: readonly Entitlement[]; requester: Requester; plan: ExtensionPlan; by: string }): PolicyDecision {
  checkTotal(facts.entitlements, facts.plan, facts.by);
  return decide({ kind: 'time-bound', subject: facts.subject, entitlements: [...facts.entitlements], requester: facts.requester, duration: facts.plan.totalMinutes });
}

/** The extension's own request record (kind `extension`), as the approval mail, page, Slack and console show it. */
export function extensionRecord(
  grant: TimeBoundRequestView,
  request: ExtendRequest,
  facts: { plan: ExtensionPlan; decision: PolicyDecision; createdAt: string; executionId: string; executionName: string },
): RequestRecord {
  return {
    requestId: request.requestId,
    kind: 'extension',
    employeeId: grant.employeeId,
    employeeDisplayName: grant.employeeDisplayName,
    role: grant.role,
    ...(grant.roleDisplayName ? { roleDisplayName: grant.roleDisplayName } : {}),
    entitlements: grant.entitlements,
    decision: facts.decision,
    requester: request.requester,
    duration: request.by,
    justification: request.justification,
    extension: { grantRequestId: grant.requestId, currentEnd: facts.plan.currentEnd, newEnd: facts.plan.newEnd, by: request.by },
    createdAt: facts.createdAt,
    executionId: facts.executionId,
    executionName: facts.executionName,
  };
}
