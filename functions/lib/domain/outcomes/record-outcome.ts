import { z } from 'zod';
import type { AuditStore } from '../audit/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { AuditDraft } from '../audit/entry.ts';
import { employeeIdSchema } from '../events/employee-events.ts';
import type { ApprovalLookup, ApprovalSummary } from './ports.ts';
import type { FinishedStatus, MarkResult, RequestStatusStore } from './ports.ts';
import { clip } from '../shared/ids.ts';
import type { Outcome, OutcomeWorkflow, RecordOutcomeInput } from '../../tasks/record-outcome.ts';
import { TransientError } from '../shared/errors.ts';
import type { Notification } from '../notifications/kinds.ts';
import { personOrId, type PeopleDirectory } from '../notifications/people.ts';
import type { RequestRepository } from '../requests/ports.ts';
import type { AuditEntry } from '../audit/entry.ts';
import { failedStepOf, outcomeNotification } from './outcome-notice.ts';
import { withdrawnWords } from '../approvals/presentation.ts';
import { namedOutcome, type WorkflowOutcome, type WorkflowResult } from './workflow-outcome.ts';

/**
 * Record Failure / Denial / Expiry / Rejection: one audit entry of the matching kind and the
 * request's final status. These states have no Catch, so the input schema is lenient: any
 * `error` and any `rejectedInput` (a rejected hire may be garbage) must still be recorded.
 *
 * No personal data from the Cause: only the error's name and a short, redacted message.
 */

const STATUS: Record<Outcome, FinishedStatus> = {
  'provisioning.failed': 'failed',
  'approval.denied': 'denied',
  'approval.expired': 'expired',
  'request.rejected': 'rejected',
  'request.withdrawn': 'withdrawn',
};

const RESULT: Record<Outcome, WorkflowResult> = {
  'provisioning.failed': 'failed',
  'approval.denied': 'denied',
  'approval.expired': 'expired',
  'request.rejected': 'rejected',
  'request.withdrawn': 'withdrawn',
};

const STEP_OF: Record<OutcomeWorkflow, string> = { joiner: 'Joiner', mover: 'Mover', leaver: 'Leaver', 'time-bound': 'Time-Bound' };

/** Telling people how the request ended (domain/notifications): absent in tests that only check the record. */
export interface OutcomeNotices {
  notify(notification: Notification): Promise<{ status: string }>;
  people: PeopleDirectory;
  records: Pick<RequestRepository, 'get'>;
  audit: Pick<AuditStore, 'listBySubject'>;
}

export interface RecordOutcomeDeps {
  requests: RequestStatusStore;
  approvals: ApprovalLookup;
  audit: Pick<AuditStore, 'append'>;
  clock: Clock;
  notices?: OutcomeNotices;
}

/** The named outcome (workflow-outcome.ts) with what was recorded beside it. */
export interface OutcomeResult extends WorkflowOutcome {
  requestId: string;
  subject: string;
  outcome: Outcome;
  status: FinishedStatus;
  marked: MarkResult;
  auditSeq: number;
  /** The notification's status (sent, already-sent, switched-off...), or `failed: <error>`; absent when nobody is told. */
  notice?: string;
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
  const trail = input.outcome === 'provisioning.failed' && deps.notices && subject !== 'unknown' ? await trailOf(deps.notices, subject) : undefined;
  const named = nameOutcome(input, errorName, trail);
  // A request another execution owns, or one that had ended otherwise, is not this run's news.
  const told = deps.notices && subject !== 'unknown' && (marked === 'marked' || marked === 'already-marked' || marked === 'no-record')
    ? await tell(deps, deps.notices, input, subject, errorName, trail ?? [])
    : undefined;
  return { ...named, requestId: input.requestId, subject, outcome: input.outcome, status, marked, auditSeq: entry.seq, ...(told ? { notice: told } : {}) };
}

/** The outcome in the one shape: a failure names its step and, when the trail was read, whether compensation undid anything. */
function nameOutcome(input: RecordOutcomeInput, errorName: string, trail: readonly AuditEntry[] | undefined): WorkflowOutcome {
  const result = RESULT[input.outcome];
  if (result === 'failed') {
    const step = failedStepOf(errorName, `${STEP_OF[input.workflow ?? 'joiner']} workflow`);
    const undone = trail?.some((entry) => entry.kind === 'compensation.applied' && entry.requestId === input.requestId);
    return namedOutcome('failed', { step, ...(undone === undefined ? {} : { undone }) });
  }
  return namedOutcome(result, result === 'rejected' ? { why: errorName } : {});
}

/** The subject's audit trail (what compensation undid); a transient failure propagates, anything else reads as unknown. */
async function trailOf(notices: OutcomeNotices, subject: string): Promise<readonly AuditEntry[] | undefined> {
  try {
    return await notices.audit.listBySubject(subject);
  } catch (error) {
    if (error instanceof TransientError) throw error;
    return undefined;
  }
}

/**
 * Sends the outcome's notification. These states have no Catch: a notification that cannot be
 * built or is refused must not hide the outcome, so only a transient failure (a retry helps)
 * propagates; anything else is reported in the result as `failed: <error>`.
 */
async function tell(deps: RecordOutcomeDeps, notices: OutcomeNotices, input: RecordOutcomeInput, subject: string, errorName: string, trail: readonly AuditEntry[]): Promise<string | undefined> {
  try {
    return await composeAndSend(deps, notices, input, subject, errorName, trail);
  } catch (error) {
    if (error instanceof TransientError) throw error;
    return `failed: ${error instanceof Error ? error.name : 'unknown'}`;
  }
}

async function composeAndSend(deps: RecordOutcomeDeps, notices: OutcomeNotices, input: RecordOutcomeInput, subject: string, errorName: string, trail: readonly AuditEntry[]): Promise<string | undefined> {
  if (input.outcome === 'request.rejected') return undefined;
  const workflow = input.workflow ?? 'joiner';
  const [record, found, approval] = await Promise.all([
    // A time-bound request's item has a looser shape (issue #10): without its record the mail names fewer facts.
    notices.records.get(input.requestId).catch(() => undefined),
    notices.people.person(subject),
    input.outcome === 'provisioning.failed' ? undefined : deps.approvals.latest(input.requestId, input.executionId),
  ]);
  const notification = outcomeNotification({
    outcome: input.outcome,
    workflow,
    workflowStep: `${STEP_OF[workflow]} workflow`,
    requestId: input.requestId,
    person: personOrId(found, subject, record?.employeeDisplayName),
    record,
    approval,
    errorName,
    cause: summariseCause(input.error?.Cause),
    trail,
  });
  if (!notification) return undefined;
  return (await notices.notify(notification)).status;
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
      return { ...common, kind: 'provisioning.failed', detail: { step: STEP_OF[workflow], error: errorName, retryable: false } };
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
    case 'request.withdrawn':
      return withdrawnDraft(common, await deps.approvals.latest(input.requestId, input.executionId));
  }
}

/** Who withdrew it (the approval the withdrawal cancelled names them) and why, in their words. */
function withdrawnDraft(common: Omit<AuditDraft, 'kind' | 'detail'>, approval: ApprovalSummary | undefined): AuditDraft {
  const by = approval?.withdrawnAs === 'operator' ? 'operator' : 'requester';
  const actor = approval?.withdrawnBy ? { type: by === 'operator' ? ('operator' as const) : ('employee' as const), id: approval.withdrawnBy } : common.actor;
  return { ...common, actor, reason: withdrawnWords(approval ?? {}), kind: 'request.withdrawn', detail: { approvalId: approval?.ref ?? 'unknown', by } };
}
