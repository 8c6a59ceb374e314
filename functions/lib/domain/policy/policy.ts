import { ForbiddenError, ValidationError } from '#lib/domain/shared/errors';
import { toMinutes } from '#lib/domain/catalogue/duration';
import { maxTimeBoundMinutes, type Entitlement } from '#lib/domain/catalogue/schema';
import { buildApprovalChain } from '#lib/domain/policy/approval-chain';
import type { PolicyDecision, PolicyRequest } from '#lib/domain/policy/schema';


/**
 * Does this grant need a person's approval, and whose, in order? Pure and deterministic:
 * the same request always yields the same decision.
 *
 * - Low-risk entitlements only: auto-approved, with the reason recorded.
 * - Any high-risk entitlement (joiner, mover or just-in-time): the subject's manager,
 *   then each owner group of a high-risk entitlement, once.
 * - Just-in-time: every entitlement must be requestable (ForbiddenError, checked first)
 *   and the duration within each one's maximum (ValidationError).
 *
 * Throws MissingApproverError when a required approver is absent or would approve their
 * own request.
 */
export function decide(request: PolicyRequest): PolicyDecision {
  const durationMinutes = request.kind === 'time-bound' ? checkJustInTime(request.entitlements, request.duration) : undefined;
  const what = describe(request.kind, request.subject.employeeId, durationMinutes);
  const highRisk = request.entitlements.filter((entitlement) => entitlement.risk === 'high');

  if (highRisk.length === 0) {
    const reason =
      request.entitlements.length === 0
        ? `${what}: nothing to grant`
        : `${what}: all entitlements are low risk (${ids(request.entitlements)})`;
    return { decision: 'auto-approved', reason };
  }

  const chain = buildApprovalChain(request.subject, highRisk, request.kind === 'time-bound' ? request.requester : undefined);
  return { decision: 'needs-approval', reason: `${what}: high-risk entitlements need approval (${ids(highRisk)})`, chain };
}

function checkJustInTime(entitlements: readonly Entitlement[], duration: number | string): number {
  if (entitlements.length === 0) throw new ValidationError('entitlements: a just-in-time request must name at least one entitlement');
  const notRequestable = entitlements.filter((entitlement) => maxTimeBoundMinutes(entitlement) === undefined);
  if (notRequestable.length > 0) throw new ForbiddenError(`${ids(notRequestable)} cannot be requested just-in-time`);
  const minutes = toMinutes(duration);
  for (const entitlement of entitlements) {
    const max = maxTimeBoundMinutes(entitlement) ?? 0;
    if (minutes > max) {
      throw new ValidationError(`duration: ${minutes} minutes exceeds the ${max}-minute maximum for ${entitlement.id}`);
    }
  }
  return minutes;
}

function describe(kind: PolicyRequest['kind'], employeeId: string, durationMinutes: number | undefined): string {
  switch (kind) {
    case 'joiner':
      return `joiner ${employeeId}`;
    case 'mover':
      return `mover ${employeeId}`;
    case 'time-bound':
      return `just-in-time grant for ${employeeId} (${durationMinutes} minutes)`;
  }
}

const ids = (entitlements: readonly Entitlement[]): string => entitlements.map((entitlement) => entitlement.id).join(', ');
