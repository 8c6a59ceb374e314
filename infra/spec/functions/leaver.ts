import type { FunctionSpec } from '../functions.ts';
import { TASK as cancelPendingWorkTask } from '../../../functions/lib/tasks/cancel-pending-work.ts';
import { TASK as closeGrantsTask } from '../../../functions/lib/tasks/close-grants.ts';
import { TASK as prepareLeaveTask } from '../../../functions/lib/tasks/prepare-leave.ts';
import { TASK as recordLeaveTask } from '../../../functions/lib/tasks/record-leave.ts';
import { TASK as retireWorkstationTask } from '../../../functions/lib/tasks/retire-workstation.ts';
import { TASK as revokeIdentityTask } from '../../../functions/lib/tasks/revoke-identity.ts';
import { TASK as scheduleLeaveTask } from '../../../functions/lib/tasks/schedule-leave.ts';

/** Functions of the leaver, including the operator kill switch. */
export const LEAVER_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'prepare-leave',
    description: prepareLeaveTask.description,
    invokedBy: 'state-machine',
    tables: { employees: 'read', grants: 'read', audit: 'append' },
    timeoutSeconds: 10,
  },
  {
    name: 'schedule-leave',
    description: scheduleLeaveTask.description,
    invokedBy: 'state-machine',
    tables: { employees: 'read', audit: 'append' },
    access: [{ service: 'scheduler', actions: ['CreateSchedule', 'GetSchedule', 'UpdateSchedule', 'DeleteSchedule'], targets: ['leaver'] }],
    timeoutSeconds: 10,
  },
  {
    name: 'operator-leave',
    description: 'POST /operator/leavers (JWT, operator group): the kill switch; starts the leaver directly, named after the Idempotency-Key.',
    invokedBy: 'http',
    tables: { employees: 'read' },
    access: [{ service: 'states', actions: ['StartExecution', 'DescribeExecution'], stateMachines: ['leaver'] }],
    env: ['OPERATOR_GROUP'],
    timeoutSeconds: 10,
  },
  {
    name: 'cancel-pending-work',
    description: cancelPendingWorkTask.description,
    invokedBy: 'state-machine',
    // employees: the leave claims the person's status time before anything is revoked.
    // notifications + SendEmail: approvers are told their link was cancelled, and why (once).
    tables: { requests: 'read', approvals: 'write', employees: 'update', notifications: 'write' },
    access: [
      { service: 'states', actions: ['ListExecutions', 'StopExecution'], stateMachines: ['joiner', 'mover', 'time-bound'] },
      { service: 'scheduler', actions: ['GetSchedule', 'DeleteSchedule'], targets: ['leaver', 'time-bound'] },
      { service: 'ses', actions: ['SendEmail'] },
      // The Slack secret: cancelled approvals' Slack messages are rewritten to say so (chat.update).
      { service: 'secretsmanager', actions: ['GetSecretValue'], secret: 'slack' },
    ],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF', 'SLACK_SECRET_NAME'],
  },
  {
    name: 'revoke-identity',
    description: revokeIdentityTask.description,
    invokedBy: 'state-machine',
    access: [{ service: 'identitystore', actions: ['GetUserId', 'ListGroupMembershipsForMember', 'DeleteGroupMembership', 'DeleteUser'] }],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'retire-workstation',
    description: retireWorkstationTask.description,
    invokedBy: 'state-machine',
    access: [
      {
        service: 'ec2',
        actions: ['DescribeInstances', 'DescribeVolumes', 'DescribeSnapshots', 'StopInstances', 'CreateSnapshot', 'TerminateInstances', 'DetachVolume', 'DeleteVolume'],
      },
    ],
  },
  {
    name: 'close-grants',
    description: closeGrantsTask.description,
    invokedBy: 'state-machine',
    tables: { grants: 'write' },
  },
  {
    name: 'record-leave',
    description: recordLeaveTask.description,
    invokedBy: 'state-machine',
    // requests: read (the name the person's requests carry) + UpdateItem (a time-bound request whose grant
    // the leave closed ends `revoked`); notifications + SendEmail: leaver-done, once.
    tables: { employees: 'write', audit: 'append', requests: 'update', notifications: 'write' },
    access: [{ service: 'ses', actions: ['SendEmail'] }],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF'],
  },
];
