import type { FunctionSpec } from '../functions.ts';

/** Slack (docs/slack.md): the interactions route. The Slack copy of approval requests is posted by approval-request. */
export const SLACK_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'slack-interactions',
    description: 'POST /slack/interactions: verify Slack\'s signature, decide the approval as the clicking approver, update the message.',
    invokedBy: 'http',
    // employees + notifications + SendEmail: the requester is told once the chain approved (kind approved).
    tables: { approvals: 'write', requests: 'read', audit: 'append', employees: 'read', notifications: 'write' },
    access: [
      { service: 'secretsmanager', actions: ['GetSecretValue'], secret: 'slack' },
      { service: 'states', actions: ['SendTaskSuccess', 'SendTaskFailure'], stateMachines: ['joiner', 'mover', 'time-bound'] },
      { service: 'ses', actions: ['SendEmail'] },
    ],
    env: ['SLACK_SECRET_NAME', 'MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF'],
    timeoutSeconds: 10,
  },
];
