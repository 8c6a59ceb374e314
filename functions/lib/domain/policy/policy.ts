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
 * - Any high-risk entitlement (joiner, mover or just-in-time), or one whose approval policy
 *   says `always`: the subject's manager (unless every such entitlement's policy says
 *   `manager: false`), then each entitlement's approvers (its policy's, else its owner group), each once.
 * - Just-in-time: every entitlement must be requestable (ForbiddenError, checked first)
 *   and the duration within each one's maximum (ValidationError).
 *
 * Throws MissingApproverError when a required approver is absent or would approve their
 * own request.
 */
export function decide(request: PolicyRequest): PolicyDecision {
  if (request.kind === 'time-bound' && request.breakGlass) return breakGlass(request);
  const durationMinutes = request.kind === 'time-bound' ? checkJustInTime(request.entitlements, request.duration) : undefined;
  const what = describe(request.kind, request.subject.employeeId, durationMinutes);
  const asked = request.entitlements.filter(needsApproval);

  if (asked.length === 0) {
    const reason =
      request.entitlements.length === 0
        ? `${what}: nothing to grant`
        : `${what}: all entitlements are low risk (${ids(request.entitlements)})`;
    return { decision: 'auto-approved', reason };
  }

  const chain = buildApprovalChain(request.subject, asked, request.kind === 'time-bound' ? request.requester : undefined);
  const highRisk = asked.filter((entitlement) => entitlement.risk === 'high');
  const always = asked.filter((entitlement) => entitlement.risk !== 'high');
  const why = [highRisk.length > 0 ? `high-risk entitlements need approval (${ids(highRisk)})` : '', always.length > 0 ? `their approval policy asks for approval (${ids(always)})` : '']
    .filter(Boolean)
    .join('; ');
  return { decision: 'needs-approval', reason: `${what}: ${why}`, chain };
}

/**
 * Break-glass: the subject asks for themself, every entitlement is marked break-glass (ForbiddenError
 * otherwise) and the duration is within each one's break-glass maximum (ValidationError): granted at
 * once, without approval. Telling security and the review after the fact are the workflow's.
 */
function breakGlass(request: Extract<PolicyRequest, { kind: 'time-bound' }>): PolicyDecision {
  const { subject, requester, entitlements } = request;
  if (entitlements.length === 0) throw new ValidationError('entitlements: a break-glass request must name at least one entitlement');
  if (requester.employeeId !== subject.employeeId) throw new ForbiddenError(`breakGlass: only ${subject.employeeId} can ask for break-glass access for themself; ${requester.employeeId} cannot`);
  const unmarked = entitlements.filter((entitlement) => entitlement.breakGlass === undefined);
  if (unmarked.length > 0) throw new ForbiddenError(`breakGlass: ${ids(unmarked)} is not marked break-glass in the catalogue`);
  const minutes = toMinutes(request.duration);
  for (const entitlement of entitlements) {
    const max = toMinutes(entitlement.breakGlass?.maxDuration ?? 0);
    if (minutes > max) throw new ValidationError(`duration: ${minutes} minutes exceeds the ${max}-minute break-glass maximum for ${entitlement.id}`);
  }
  return {
    decision: 'auto-approved',
    reason: `break-glass grant for ${subject.employeeId} (${minutes} minutes) of ${ids(entitlements)}: granted at once without approval; audited as break-glass, reviewed by an owner afterwards`,
  };
}

/** High risk, or an approval policy that asks even for low risk. */
const needsApproval = (entitlement: Entitlement): boolean => entitlement.risk === 'high' || entitlement.approval?.always === true;

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
