import { z } from 'zod';
import { WAIT_UNTIL } from '../domain/ec2-waits/waits.ts';

/**
 * Input of functions/await-ec2-event ("Wait For ..." states, lambda:invoke.waitForTaskToken).
 * `wait` names the wait within its execution (its deadline counts from the first time it began);
 * `deadlineSeconds` is set in the ASL, at least six hours for EBS (AWS publishes no upper bound
 * for a first snapshot).
 */
export const awaitEc2EventInputSchema = z.object({
  taskToken: z.string().min(1).max(1024),
  until: z.enum(WAIT_UNTIL),
  employeeId: z.string().min(1).max(64),
  instanceIds: z.array(z.string().regex(/^i-[0-9a-f]{8,17}$/, 'an instance id (i-...)')).min(1).max(100).optional(),
  wait: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, '1-40 letters, digits or dashes'),
  executionName: z.string().min(1).max(80),
  deadlineSeconds: z.number().int().min(60).max(7 * 24 * 3600),
});
export type AwaitEc2EventInput = z.infer<typeof awaitEc2EventInputSchema>;

/**
 * What `functions/await-ec2-event` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    '"Wait For Workstation To Run / Stop / Terminate", "Wait For Snapshots": park the task token under each resource still settling, or resume at once.',
  states: [
    'Wait For Workstation To Run',
    'Wait For Workstation To Stop',
    'Wait For Snapshots',
    'Wait For Workstation To Terminate',
    'Wait For Old Workstation To Stop',
    'Wait For Old Snapshots',
    'Wait For Old Workstation To Terminate',
  ],
} as const;
