import { z } from 'zod';
import { employeeIdSchema } from '../domain/events/employee-events.ts';
import { chainStepSchema } from '../domain/policy/schema.ts';
import { requestIdSchema } from '../domain/requests/request-record.ts';
import { executionIds } from '../domain/shared/ids.ts';

/**
 * functions/approval-request, "Ask Approver" inside "Ask Approvers In Order" (every machine that
 * asks; lambda:invoke.waitForTaskToken): stores the task token under a random approval id and
 * e-mails the approver the link (an N-of-M step: each of its approvers their own link); with Slack configured, also posts the approval to the approver's
 * Slack DM (docs/slack.md). Returns only the approval's ref: the result lands in the execution
 * history, so neither the link nor the token may be in it. The execution resumes with the
 * decision the approval page (or Slack) sends, not with this result.
 */
export const approvalRequestInputSchema = z.object({
  taskToken: z.string().min(1).max(2048),
  approval: z.object({
    /** One approver, or an N-of-M step: each of its approvers is mailed a link bound to this one task token. */
    approver: chainStepSchema,
    step: z.int().min(0).max(100),
    requestId: requestIdSchema,
    employeeId: employeeIdSchema,
    /** Seconds the task waits; the link expires with it. At most one year. */
    timeoutSeconds: z.int().min(1).max(365 * 24 * 60 * 60),
    executionId: executionIds.executionId,
    executionName: executionIds.executionName,
  }),
});
export type ApprovalRequestInput = z.infer<typeof approvalRequestInputSchema>;

/**
 * What `functions/approval-request` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Ask Approver (waitForTaskToken): store the token under a random approval id, e-mail the link.',
  states: ['Ask Approver'],
} as const;
