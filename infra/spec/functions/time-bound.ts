import type { FunctionSpec } from '../functions.ts';
import { TASK as accountAssignmentsTask } from '../../../functions/lib/tasks/account-assignments.ts';
import { TASK as closeTimeBoundGrantsTask } from '../../../functions/lib/tasks/close-time-bound-grants.ts';
import { TASK as planTimeBoundRevocationTask } from '../../../functions/lib/tasks/plan-time-bound-revocation.ts';
import { TASK as prepareTimeBoundTask } from '../../../functions/lib/tasks/prepare-time-bound.ts';
import { TASK as recordTimeBoundGrantsTask } from '../../../functions/lib/tasks/record-time-bound-grants.ts';
import { TASK as removeTimeBoundMembershipsTask } from '../../../functions/lib/tasks/remove-time-bound-memberships.ts';
import { TASK as scheduleExpiryTask } from '../../../functions/lib/tasks/schedule-expiry.ts';

/** Functions of time-bound (just-in-time) access: the HTTP API and statemachines/time-bound.asl.json. */
export const TIME_BOUND_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'time-bound-api',
    description: 'POST /access-requests (+ GET /{id}, POST /{id}/revoke, /{id}/withdraw), JWT: validate, start, revoke or withdraw a time-bound request.',
    invokedBy: 'http',
    // approvals + SendTaskFailure: a withdrawal cancels the open approval and fails its waiting task (domain/time-bound/withdraw.ts).
    tables: { employees: 'read', requests: 'read', approvals: 'write' },
    access: [{ service: 'states', actions: ['StartExecution', 'DescribeExecution', 'SendTaskFailure'], stateMachines: ['time-bound'] }],
    env: ['OPERATOR_GROUP'],
    timeoutSeconds: 10,
  },
  {
    name: 'prepare-time-bound',
    description: prepareTimeBoundTask.description,
    invokedBy: 'state-machine',
    tables: { employees: 'read', requests: 'append', audit: 'append' },
    env: ['APPROVAL_TIMEOUT_SECONDS'],
  },
  {
    name: 'record-time-bound-grants',
    description: recordTimeBoundGrantsTask.description,
    invokedBy: 'state-machine',
    // employees + notifications + SendEmail: the holder and the requester are told, once.
    // Break-glass (domain/reviews/break-glass.ts): the operators and owners are told (mail, the Slack channel), and its review runs on access-review.
    tables: { grants: 'append', requests: 'write', audit: 'append', employees: 'read', notifications: 'write' },
    access: [
      { service: 'ses', actions: ['SendEmail'] },
      { service: 'secretsmanager', actions: ['GetSecretValue'], secret: 'slack' },
      { service: 'states', actions: ['StartExecution'], stateMachines: ['access-review'] },
    ],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF', 'SLACK_SECRET_NAME'],
  },
  {
    name: 'schedule-expiry',
    description: scheduleExpiryTask.description,
    invokedBy: 'state-machine',
    access: [{ service: 'scheduler', actions: ['CreateSchedule', 'GetSchedule', 'UpdateSchedule', 'DeleteSchedule'], targets: ['time-bound'] }],
    env: ['ENDING_SOON_LEAD'],
  },
  {
    name: 'plan-time-bound-revocation',
    description: planTimeBoundRevocationTask.description,
    invokedBy: 'state-machine',
    tables: { grants: 'read', employees: 'read', requests: 'read' },
    timeoutSeconds: 10,
  },
  {
    name: 'remove-time-bound-memberships',
    description: removeTimeBoundMembershipsTask.description,
    invokedBy: 'state-machine',
    access: [{ service: 'identitystore', actions: ['GetUserId', 'GetGroupId', 'GetGroupMembershipId', 'DeleteGroupMembership'] }],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'account-assignments',
    description: accountAssignmentsTask.description,
    invokedBy: 'state-machine',
    // The undo after a failed Record (Time-Bound) Grants audits each removal.
    tables: { audit: 'append' },
    access: [
      { service: 'identitystore', actions: ['GetUserId', 'DescribeUser'] },
      {
        service: 'sso',
        actions: [
          'ListPermissionSets',
          'DescribePermissionSet',
          'ListAccountAssignmentsForPrincipal',
          'CreateAccountAssignment',
          'DeleteAccountAssignment',
          'DescribeAccountAssignmentCreationStatus',
          'DescribeAccountAssignmentDeletionStatus',
        ],
      },
    ],
    env: ['IDENTITY_STORE_ID', 'SSO_INSTANCE_ARN'],
  },
  {
    name: 'close-time-bound-grants',
    description: closeTimeBoundGrantsTask.description,
    invokedBy: 'state-machine',
    // employees + notifications + SendEmail: the holder and the requester are told, once.
    tables: { grants: 'write', requests: 'write', audit: 'append', employees: 'read', notifications: 'write' },
    access: [{ service: 'ses', actions: ['SendEmail'] }],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF'],
  },
];
