import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { executionIds, requestIdSchema } from '../domain/shared/ids.ts';

/**
 * functions/record-outcome: "Record Failure", "Record Denial", "Record Expiry", "Record
 * Rejection" (every workflow), time-bound "Record Revoke Failure" and "Record Withdrawal" (the
 * requester withdrew a request waiting for approval: domain/time-bound/withdraw.ts). One audit entry of the
 * matching kind (error name and a short, redacted cause only), the request's final status
 * without ever reopening it, and the people concerned told (denied, approval-expired,
 * workflow-failed, identity-conflict; the approvers on a withdrawal: cancelled), once; an expired
 * or withdrawn approval's Slack message is rewritten to say so (domain/slack/closed-in-slack.ts). These states have no Catch, so the input schema is
 * lenient: any `error` and any `rejectedInput` (a rejected hire may be garbage) must still be
 * recorded. Returns OutcomeResult (domain/outcomes/record-outcome.ts) for $.outcome.
 */

export const OUTCOMES = ['provisioning.failed', 'approval.denied', 'approval.expired', 'request.rejected', 'request.withdrawn'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The workflow recording its outcome (ASL passes it; default `joiner`): the audit actor and failed step name it. */
export const OUTCOME_WORKFLOWS = ['joiner', 'mover', 'leaver', 'time-bound'] as const;
export type OutcomeWorkflow = (typeof OUTCOME_WORKFLOWS)[number];

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

/**
 * What `functions/record-outcome` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Record Failure / Denial / Expiry / Rejection / Withdrawal: the request outcome, its audit entry, and the notification to the people concerned.',
  states: [
    'Record Failure',
    'Record Denial',
    'Record Expiry',
    'Record Rejection',
    'Record Revoke Failure',
    'Record Withdrawal',
  ],
} as const;
