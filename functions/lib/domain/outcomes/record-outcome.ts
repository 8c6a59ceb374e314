import { z } from 'zod';
import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { employeeIdSchema } from '../events/employee-events.ts';
import type { ApprovalLookup } from './ports.ts';
import type { FinishedStatus, MarkResult, OutcomeOperators, RequestStatusStore } from './ports.ts';
import { IDENTITY_CONFLICT_ERROR, identityConflictMail, mailOperatorsOnce } from './operator-mail.ts';
import { clip, executionIds, requestIdSchema } from '../shared/ids.ts';

/**
 * Record Failure / Denial / Expiry / Rejection: one audit entry of the matching kind and the
 * request's final status. These states have no Catch, so the input schema is lenient: any
 * `error` and any `rejectedInput` (a rejected hire may be garbage) must still be recorded.
 *
 * No personal data from the Cause: only the error's name and a short, redacted message.
 */

export const OUTCOMES = ['provisioning.failed', 'approval.denied', 'approval.expired', 'request.rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const STATUS: Record<Outcome, FinishedStatus> = {
  'provisioning.failed': 'failed',
  'approval.denied': 'denied',
  'approval.expired': 'expired',
  'request.rejected': 'rejected',
};

/** The workflow recording its outcome (ASL passes it; default `joiner`): the audit actor and failed step name it. */
export const OUTCOME_WORKFLOWS = ['joiner', 'mover', 'leaver', 'time-bound'] as const;
export type OutcomeWorkflow = (typeof OUTCOME_WORKFLOWS)[number];

const STEP_OF: Record<OutcomeWorkflow, string> = { joiner: 'Joiner', mover: 'Mover', leaver: 'Leaver', 'time-bound': 'Time-Bound' };

export const recordOutcomeInputSchema = z.object({
  requestId: requestIdSchema,
  workflow: z.enum(OUTCOME_WORKFLOWS).optional(),
  employeeId: employeeIdSchema.optional(),
  outcome: z.enum(OUTCOMES),
  error: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  rejectedInput: z.unknown().optional(),
  ...executionIds,
});
export type RecordOutcomeInput = z.infer<typeof recordOutcomeInputSchema>;

export interface RecordOutcomeDeps {
  requests: RequestStatusStore;
  approvals: ApprovalLookup;
  audit: Pick<AuditStore, 'append'>;
  /** Mailed once when a hire stops on an identity conflict; absent: nobody is mailed. */
  operators?: OutcomeOperators;
  clock: Clock;
}

export interface OutcomeResult {
  requestId: string;
  subject: string;
  outcome: Outcome;
  status: FinishedStatus;
  marked: MarkResult;
  auditSeq: number;
  /** An identity conflict: whether this call mailed the operators. */
  operatorMail?: 'sent' | 'already-sent';
}

/** Who the outcome is about; `unknown` when a rejected input names nobody valid. */
export function subjectOf(input: Pick<RecordOutcomeInput, 'employeeId' | 'rejectedInput'>): string {
  if (input.employeeId !== undefined) return input.employeeId;
  const named = z.object({ employee: z.object({ employeeId: employeeIdSchema }) }).safeParse(input.rejectedInput);
  return named.success ? named.data.employee.employeeId : 'unknown';
}

/** The error's name as an audit id: printable, no spaces, at most 128 characters. */
export const errorNameOf = (error: RecordOutcomeInput['error']): string =>
  (error?.Error ?? '').replace(/[^\x21-\x7e]/g, '_').slice(0, 128) || 'UnknownError';

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g;

/**
 * A short message from a Step Functions Cause (Lambda's `{"errorMessage", "trace", ...}` or
 * plain text): message only, no stack, e-mail addresses redacted, at most `max` characters.
 */
export function summariseCause(cause: string | undefined, max = 240): string {
  if (!cause) return '';
  let message = cause;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed && typeof parsed.errorMessage === 'string') {
      message = parsed.errorMessage;
    }
  } catch {
    // not JSON: the cause is the message
  }
  return clip(message.replace(EMAIL, '<email>').replace(/\s+/g, ' '), max);
}

export async function recordOutcome(deps: RecordOutcomeDeps, input: RecordOutcomeInput): Promise<OutcomeResult> {
  const subject = subjectOf(input);
  const status = STATUS[input.outcome];
  const errorName = errorNameOf(input.error);
  const entry = await deps.audit.append(await outcomeDraft(deps, input, subject, errorName));
  const marked = await deps.requests.markFinished({
    requestId: input.requestId,
    executionId: input.executionId,
    status,
    at: deps.clock.now().toISOString(),
    errorName,
  });
  const { operators } = deps;
  const conflict = input.outcome === 'provisioning.failed' && errorName === IDENTITY_CONFLICT_ERROR;
  const mail = identityConflictMail({ employeeId: subject, requestId: input.requestId, cause: summariseCause(input.error?.Cause, 400) });
  const operatorMail = conflict && operators ? await mailOperatorsOnce(operators, input.requestId, mail, deps.clock.now()) : undefined;
  return { requestId: input.requestId, subject, outcome: input.outcome, status, marked, auditSeq: entry.seq, ...(operatorMail ? { operatorMail } : {}) };
}

async function outcomeDraft(deps: RecordOutcomeDeps, input: RecordOutcomeInput, subject: string, errorName: string): Promise<AuditDraft> {
  const cause = summariseCause(input.error?.Cause);
  const workflow = input.workflow ?? 'joiner';
  const common = {
    subject,
    actor: { type: 'system' as const, id: workflow },
    requestId: input.requestId,
    executionId: input.executionId,
    reason: clip(`${input.outcome}: ${errorName}${cause ? `: ${cause}` : ''}`),
    idempotencyKey: `${input.executionName}/${input.outcome}`,
  };
  switch (input.outcome) {
    case 'provisioning.failed':
      // The failing state is not in the Catch output; the error name says what failed.
      return {
        ...common,
        ...(errorName === IDENTITY_CONFLICT_ERROR && deps.operators ? { reason: clip(`${common.reason}; operators are mailed once`) } : {}),
        kind: 'provisioning.failed',
        detail: { step: STEP_OF[workflow], error: errorName, retryable: false },
      };
    case 'request.rejected':
      return {
        ...common,
        kind: 'policy.decided',
        detail: { outcome: 'denied', policyRule: `request-rejected:${errorName.slice(0, 100)}`, entitlementIds: [] },
      };
    case 'approval.denied': {
      const approval = await deps.approvals.latest(input.requestId, input.executionId);
      // The approval page audits a denial under this key first; reusing it keeps one entry per denial.
      const key = approval?.status === 'denied' ? `approval/${approval.ref}/decided` : common.idempotencyKey;
      return { ...common, idempotencyKey: key, kind: 'approval.denied', detail: { approvalId: approval?.ref ?? 'unknown' } };
    }
    case 'approval.expired': {
      const approval = await deps.approvals.latest(input.requestId, input.executionId);
      const expiresAt = approval?.expiresAt ?? deps.clock.now().toISOString();
      return { ...common, kind: 'approval.expired', detail: { approvalId: approval?.ref ?? 'unknown', expiresAt } };
    }
  }
}
