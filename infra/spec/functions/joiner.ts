import type { FunctionSpec } from '../functions.ts';
import { TASK as approvalRequestTask } from '../../../functions/lib/tasks/approval-request.ts';
import { TASK as attachStorageTask } from '../../../functions/lib/tasks/attach-storage.ts';
import { TASK as checkWorkstationTask } from '../../../functions/lib/tasks/check-workstation.ts';
import { TASK as compensateProvisioningTask } from '../../../functions/lib/tasks/compensate-provisioning.ts';
import { TASK as launchWorkstationTask } from '../../../functions/lib/tasks/launch-workstation.ts';
import { TASK as notifyTask } from '../../../functions/lib/tasks/notify.ts';
import { TASK as prepareJoinTask } from '../../../functions/lib/tasks/prepare-join.ts';
import { TASK as provisionIdentityTask } from '../../../functions/lib/tasks/provision-identity.ts';
import { TASK as recordGrantsTask } from '../../../functions/lib/tasks/record-grants.ts';
import { TASK as recordOutcomeTask } from '../../../functions/lib/tasks/record-outcome.ts';
import { TASK as scheduleDeprovisioningTask } from '../../../functions/lib/tasks/schedule-deprovisioning.ts';

/** Functions of the joiner (and the shared HTTP/approval/provisioning steps other workflows reuse). */
export const JOINER_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'hris-webhook',
    description: 'POST /hris/{source}: verify the HRIS signature, normalise, publish to the gatehouse bus, answer 202.',
    invokedBy: 'http',
    access: [
      { service: 'secretsmanager', actions: ['GetSecretValue'] },
      { service: 'events', actions: ['PutEvents'] },
    ],
    env: ['EVENT_BUS_NAME', 'HRIS_SECRET_PREFIX'],
    timeoutSeconds: 10,
  },
  {
    name: 'event-router',
    description: 'EventBridge target: one employee event in, one workflow execution named after the delivery id out.',
    invokedBy: 'eventbridge',
    access: [{ service: 'states', actions: ['StartExecution'], stateMachines: ['joiner', 'mover', 'leaver'] }],
    timeoutSeconds: 10,
  },
  {
    name: 'prepare-join',
    description: prepareJoinTask.description,
    invokedBy: 'state-machine',
    tables: { employees: 'write', requests: 'append', audit: 'append' },
    env: ['PROVISION_LEAD_HOURS', 'APPROVAL_TIMEOUT_SECONDS'],
  },
  {
    name: 'approval-request',
    description: approvalRequestTask.description,
    invokedBy: 'state-machine',
    tables: { approvals: 'write', requests: 'read', audit: 'append' },
    access: [
      { service: 'ses', actions: ['SendEmail'] },
      // The Slack copy of the request (docs/slack.md): the app's secret, nothing else in Secrets Manager.
      { service: 'secretsmanager', actions: ['GetSecretValue'], secret: 'slack' },
    ],
    env: ['APPROVAL_BASE_URL', 'MAIL_FROM', 'SLACK_SECRET_NAME'],
  },
  {
    name: 'approval-page',
    description: 'GET/POST /approvals/{id}: the approval page and its one decision (SendTaskSuccess/Failure).',
    invokedBy: 'http',
    // employees + notifications + SendEmail: the requester is told once the chain approved (kind approved).
    tables: { approvals: 'write', requests: 'read', audit: 'append', employees: 'read', notifications: 'write' },
    access: [
      { service: 'states', actions: ['SendTaskSuccess', 'SendTaskFailure'], stateMachines: ['joiner', 'mover', 'time-bound'] },
      { service: 'ses', actions: ['SendEmail'] },
    ],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF'],
    timeoutSeconds: 10,
  },
  {
    name: 'provision-identity',
    description: provisionIdentityTask.description,
    invokedBy: 'state-machine',
    // UpdateItem on the employee's item: which request created the user (intent before CreateUser, creator after).
    tables: { employees: 'update' },
    access: [
      { service: 'identitystore', actions: ['GetUserId', 'GetGroupId', 'GetGroupMembershipId', 'CreateUser', 'CreateGroupMembership'] },
    ],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'launch-workstation',
    description: launchWorkstationTask.description,
    invokedBy: 'state-machine',
    // DescribeInstances: the instance another request of the same person and generation launched.
    access: [{ service: 'ec2', actions: ['RunInstances', 'DescribeInstances'] }],
    env: ['WORKSTATION_SUBNET_ID', 'WORKSTATION_SECURITY_GROUP_ID', 'WORKSTATION_AVAILABILITY_ZONE'],
  },
  {
    name: 'check-workstation',
    description: checkWorkstationTask.description,
    invokedBy: 'state-machine',
    access: [{ service: 'ec2', actions: ['DescribeInstances'] }],
    timeoutSeconds: 10,
  },
  {
    name: 'attach-storage',
    description: attachStorageTask.description,
    invokedBy: 'state-machine',
    access: [{ service: 'ec2', actions: ['DescribeInstances', 'CreateVolume', 'DescribeVolumes', 'AttachVolume'] }],
  },
  {
    name: 'record-grants',
    description: recordGrantsTask.description,
    invokedBy: 'state-machine',
    tables: { grants: 'append', audit: 'append' },
  },
  {
    name: 'schedule-deprovisioning',
    description: scheduleDeprovisioningTask.description,
    invokedBy: 'state-machine',
    tables: { employees: 'read' },
    access: [{ service: 'scheduler', actions: ['CreateSchedule', 'GetSchedule', 'UpdateSchedule'], targets: ['leaver'] }],
  },
  {
    name: 'notify',
    description: notifyTask.description,
    invokedBy: 'state-machine',
    tables: { notifications: 'write' },
    access: [
      { service: 'ses', actions: ['SendEmail'] },
      { service: 'secretsmanager', actions: ['GetSecretValue'], secret: 'slack' },
    ],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF', 'SLACK_SECRET_NAME'],
  },
  {
    name: 'compensate-provisioning',
    description: compensateProvisioningTask.description,
    invokedBy: 'state-machine',
    // employees: which request created the user, when the identity step left no result.
    tables: { audit: 'append', employees: 'read' },
    access: [
      { service: 'identitystore', actions: ['GetUserId', 'GetGroupId', 'GetGroupMembershipId', 'DeleteGroupMembership', 'DeleteUser'] },
      { service: 'ec2', actions: ['DescribeInstances', 'DescribeVolumes', 'TerminateInstances', 'DetachVolume', 'DeleteVolume'] },
    ],
    env: ['IDENTITY_STORE_ID'],
    timeoutSeconds: 120,
  },
  {
    name: 'record-outcome',
    description: recordOutcomeTask.description,
    invokedBy: 'state-machine',
    // employees: who to tell (work e-mail, manager); notifications: each told once.
    tables: { requests: 'write', approvals: 'read', audit: 'append', employees: 'read', notifications: 'write' },
    // The Slack secret: an expired approval's Slack message is rewritten to say so (chat.update).
    access: [
      { service: 'ses', actions: ['SendEmail'] },
      { service: 'secretsmanager', actions: ['GetSecretValue'], secret: 'slack' },
    ],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF', 'SLACK_SECRET_NAME'],
  },
];
