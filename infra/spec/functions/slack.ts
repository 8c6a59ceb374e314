import type { FunctionSpec } from '../functions.ts';

/** Slack (docs/slack.md): the interactions route. The Slack copy of approval requests is posted by approval-request. */
export const SLACK_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'slack-interactions',
    description: 'POST /slack/interactions: verify Slack\'s signature, decide the approval as the clicking approver, update the message.',
    invokedBy: 'http',
    tables: { approvals: 'write', requests: 'read', audit: 'append' },
    access: [
      { service: 'secretsmanager', actions: ['GetSecretValue'], secret: 'slack' },
      { service: 'states', actions: ['SendTaskSuccess', 'SendTaskFailure'], stateMachines: ['joiner', 'mover', 'time-bound'] },
    ],
    env: ['SLACK_SECRET_NAME'],
    timeoutSeconds: 10,
  },
];
