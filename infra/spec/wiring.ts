/**
 * How the pieces connect, as plain data: the HTTP routes, the EventBridge rules and the
 * state machines. The CDK stack and the local cloud both build from this file, so the
 * local cloud routes exactly what the stack routes.
 */

/**
 * Function folders under functions/ reachable over HTTP, with API Gateway v2 route keys.
 * `auth: 'jwt'`: the JWT authorizer (docs/auth.md) verifies the caller's bearer token before
 * the function runs; on the local cloud the front door does, with the local issuer.
 */
export const ROUTES = [
  { method: 'POST', path: '/hris/{source}', function: 'hris-webhook' },
  { method: 'GET', path: '/approvals/{id}', function: 'approval-page' },
  { method: 'POST', path: '/approvals/{id}', function: 'approval-page' },
  { method: 'GET', path: '/reviews/{campaignId}/{linkId}', function: 'review-page' },
  { method: 'POST', path: '/reviews/{campaignId}/{linkId}', function: 'review-page' },
  // Slack's interactivity Request URL: signed by Slack (v0 HMAC), so no JWT authorizer (docs/slack.md).
  { method: 'POST', path: '/slack/interactions', function: 'slack-interactions' },
  { method: 'POST', path: '/access-requests', function: 'time-bound-api', auth: 'jwt' },
  { method: 'GET', path: '/access-requests/{id}', function: 'time-bound-api', auth: 'jwt' },
  { method: 'POST', path: '/access-requests/{id}/revoke', function: 'time-bound-api', auth: 'jwt' },
  { method: 'POST', path: '/access-requests/{id}/extend', function: 'time-bound-api', auth: 'jwt' },
  { method: 'POST', path: '/access-requests/{id}/withdraw', function: 'time-bound-api', auth: 'jwt' },
  { method: 'POST', path: '/operator/leavers', function: 'operator-leave', auth: 'jwt' },
  // The console's API (infra/spec/functions/console.ts); the pages themselves are static files.
  { method: 'GET', path: '/api/me', function: 'console-self-service', auth: 'jwt' },
  { method: 'GET', path: '/api/catalogue', function: 'console-self-service', auth: 'jwt' },
  { method: 'GET', path: '/api/catalogue/{id}/approvers', function: 'console-self-service', auth: 'jwt' },
  { method: 'GET', path: '/api/my/access', function: 'console-self-service', auth: 'jwt' },
  { method: 'GET', path: '/api/approvals', function: 'console-approvals', auth: 'jwt' },
  { method: 'POST', path: '/api/approvals/{id}', function: 'console-approvals', auth: 'jwt' },
  { method: 'GET', path: '/api/people', function: 'console-people', auth: 'jwt' },
  { method: 'GET', path: '/api/people/{id}', function: 'console-people', auth: 'jwt' },
  { method: 'GET', path: '/api/findings', function: 'console-people', auth: 'jwt' },
  { method: 'GET', path: '/api/workflows', function: 'console-workflows', auth: 'jwt' },
  { method: 'GET', path: '/api/audit/chains', function: 'console-audit', auth: 'jwt' },
  { method: 'GET', path: '/api/audit/{query}', function: 'console-audit', auth: 'jwt' },
  { method: 'GET', path: '/api/reviews', function: 'console-reviews', auth: 'jwt' },
  { method: 'POST', path: '/api/reviews/{campaignId}/decisions', function: 'console-reviews', auth: 'jwt' },
  { method: 'GET', path: '/api/review-campaigns', function: 'console-campaigns', auth: 'jwt' },
  { method: 'POST', path: '/api/review-campaigns', function: 'console-campaigns', auth: 'jwt' },
  // {action}: remind | close. One route for both keeps the stack's resource count down (test/infra/console.test.ts).
  { method: 'POST', path: '/api/review-campaigns/{campaignId}/{action}', function: 'console-campaigns', auth: 'jwt' },
  // The campaign's evidence: ?format=csv|json|html.
  { method: 'GET', path: '/api/review-campaigns/{campaignId}', function: 'console-campaigns', auth: 'jwt' },
] as const satisfies readonly { method: 'GET' | 'POST'; path: string; function: string; auth?: 'jwt' }[];

export const EVENT_BUS_NAME = 'gatehouse';

/**
 * EventBridge rules; each target is a function folder. `bus` is the gatehouse bus, or the
 * account's default bus where AWS services publish (EC2 and EBS notifications).
 */
export const EVENT_RULES = [
  {
    name: 'employee-events-to-router',
    bus: EVENT_BUS_NAME,
    eventPattern: {
      source: ['gatehouse.hris'],
      'detail-type': ['employee.hired', 'employee.changed', 'employee.left', 'employee.leave.cancelled'],
    },
    targetFunction: 'event-router',
  },
  {
    // Waits that outlast slow EBS (issue #12): these notifications resume the tasks parked on the resource.
    name: 'ec2-notifications-to-waits',
    bus: 'default',
    eventPattern: {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification', 'EBS Snapshot Notification'],
    },
    targetFunction: 'resume-ec2-waits',
  },
] as const;

/** State machines, each `statemachines/<name>.asl.json`. */
export const STATE_MACHINES = ['joiner', 'mover', 'leaver', 'time-bound', 'access-review', 'catalogue-convergence', 'adoption'] as const;
export type StateMachineName = (typeof STATE_MACHINES)[number];

export const SCHEDULE_GROUP_NAME = 'gatehouse';

/**
 * State machines that schedules made by operators' tools start (not by a function): recurring
 * access reviews (`review schedule`, tools/review-cli.ts). The scheduler role may start them.
 */
export const OPERATOR_SCHEDULED_MACHINES: readonly StateMachineName[] = ['access-review'];

/** The Slack app's secret in Secrets Manager (docs/slack.md; functions/lib/adapters/slack/credentials.ts). */
export const SLACK_SECRET_NAME = 'gatehouse/slack';
