import type { FunctionSpec } from '../functions.ts';
import { TASK as awaitEc2EventTask } from '../../../functions/lib/tasks/await-ec2-event.ts';

/**
 * Waits that outlast slow EC2 and EBS (issue #12): a "Wait For ..." task parks its token under
 * the resources still settling; EC2's notifications on the default bus resume it.
 */
export const EC2_WAIT_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'await-ec2-event',
    description: awaitEc2EventTask.description,
    invokedBy: 'state-machine',
    tables: { waits: 'write' },
    access: [
      { service: 'ec2', actions: ['DescribeInstances', 'DescribeSnapshots'] },
      { service: 'states', actions: ['SendTaskSuccess'], stateMachines: ['joiner', 'mover', 'leaver'] },
    ],
    timeoutSeconds: 10,
  },
  {
    name: 'resume-ec2-waits',
    description: 'Default-bus rule target for EC2 instance state-change and EBS snapshot notifications: SendTaskSuccess to the tasks parked on the resource.',
    invokedBy: 'eventbridge',
    tables: { waits: 'write-delete' },
    access: [{ service: 'states', actions: ['SendTaskSuccess'], stateMachines: ['joiner', 'mover', 'leaver'] }],
    timeoutSeconds: 10,
  },
];
