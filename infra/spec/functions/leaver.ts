import type { FunctionSpec } from '../functions.ts';

/** Functions of the leaver, including the operator kill switch. */
export const LEAVER_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'prepare-leave',
    description: 'Leaver "Prepare Leave": validate the employee.left event, audit who asked (request.received), load active grants, decide now or at effectiveAt.',
    invokedBy: 'state-machine',
    tables: { employees: 'read', grants: 'read', audit: 'append' },
    timeoutSeconds: 10,
  },
  {
    name: 'schedule-leave',
    description: 'Leaver "Decide When Access Ends" / "Cancel Scheduled Leave": put, move or delete the end-of-access schedule; leave.decided audit entries.',
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
    description: 'Leaver "Cancel Pending Work": stop running joiners, movers and time-bound grants, cancel pending approvals, delete other schedules.',
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
    description: 'Leaver "Revoke Group Memberships" / "Delete Identity Center User": remove what the user holds, then the user.',
    invokedBy: 'state-machine',
    access: [{ service: 'identitystore', actions: ['GetUserId', 'ListGroupMembershipsForMember', 'DeleteGroupMembership', 'DeleteUser'] }],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'retire-workstation',
    description: 'Leaver "Stop Workstation" / "Snapshot Volumes" / "Terminate Workstation" / "Delete Volumes", by the employee tag.',
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
    description: 'Leaver "Close Grants": every active grant of the person becomes revoked (conditional update).',
    invokedBy: 'state-machine',
    tables: { grants: 'write' },
  },
  {
    name: 'record-leave',
    description: 'Leaver "Record Leave" / "Mark Employee Left": grant.revoked audit entries, time-bound requests ended, the report, leaver-done to operators and manager, the employee status.',
    invokedBy: 'state-machine',
    // requests: read (the name the person's requests carry) + UpdateItem (a time-bound request whose grant
    // the leave closed ends `revoked`); notifications + SendEmail: leaver-done, once.
    tables: { employees: 'write', audit: 'append', requests: 'update', notifications: 'write' },
    access: [{ service: 'ses', actions: ['SendEmail'] }],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF'],
  },
];
