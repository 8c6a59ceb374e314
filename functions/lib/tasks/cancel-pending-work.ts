import { z } from 'zod';
import { leaveTaskBase } from '../domain/leaver/schemas.ts';

/**
 * functions/cancel-pending-work, leaver "Cancel Pending Work": claim the leave's time on the
 * person, stop their running joiners, movers and time-bound grants, cancel pending approvals
 * (and tell their approvers why, once; their Slack messages now say cancelled:
 * domain/slack/closed-in-slack.ts), delete other end-date schedules. Returns CancelledWork
 * (domain/leaver/pending-work.ts) for $.results.cancelled.
 */
export const cancelPendingWorkInputSchema = z.object({
  ...leaveTaskBase,
  deliveryId: z.string().min(1).max(64),
  /** The leave event's occurredAt: claimed as the person's statusOccurredAt before anything is revoked. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});
export type CancelPendingWorkInput = z.infer<typeof cancelPendingWorkInputSchema>;

/**
 * What `functions/cancel-pending-work` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Leaver "Cancel Pending Work": stop running joiners, movers and time-bound grants, cancel pending approvals, delete other schedules.',
  states: ['Cancel Pending Work'],
} as const;
