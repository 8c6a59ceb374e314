import { z } from 'zod';
import { employeeSchema } from '../domain/events/employee-events.ts';
import { executionIds, requestIdSchema } from '../domain/shared/ids.ts';

/**
 * functions/notify, "Notify" (joiner, mover): tells the person, the manager and the operators
 * that the joiner's access is ready (`access-ready`), or the person and the manager what a move
 * granted and removed (`access-moved`, with `move`: the revocation plan), and posts access-ready
 * to the Slack channel when one is configured (docs/slack.md). Sent once per kind, person and
 * request (domain/notifications/send.ts): a retry mails nothing twice. Returns NotificationResult
 * for $.results.notified.
 */
export const notifyInputSchema = z.object({
  requestId: requestIdSchema,
  employeeId: employeeSchema.shape.employeeId,
  employee: employeeSchema,
  entitlements: z.array(z.looseObject({ id: z.string().min(1), description: z.string().optional() })),
  /** The mover's revocation plan ($.revocation): the old role and what it loses. */
  move: z
    .looseObject({
      fromRole: z.string().min(1),
      toRole: z.string().min(1),
      revoke: z.array(z.string().min(1)),
      groups: z.array(z.looseObject({ entitlementId: z.string(), displayName: z.string().optional() })).default([]),
      workstations: z.array(z.string().min(1)).default([]),
      dropsWorkstation: z.boolean().default(false),
    })
    .optional(),
  results: z
    .looseObject({
      workstation: z.looseObject({ instanceId: z.string() }).optional(),
      schedule: z.looseObject({ at: z.string() }).optional(),
    })
    .default({}),
  executionId: executionIds.executionId.optional(),
  executionName: executionIds.executionName.optional(),
});
export type NotifyInput = z.infer<typeof notifyInputSchema>;

/**
 * What `functions/notify` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Notify: tell the employee and the manager what was provisioned or moved, once (and the Slack channel, when configured).',
  states: ['Notify'],
} as const;
