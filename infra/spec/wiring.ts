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
  { method: 'POST', path: '/access-requests', function: 'time-bound-api', auth: 'jwt' },
  { method: 'GET', path: '/access-requests/{id}', function: 'time-bound-api', auth: 'jwt' },
  { method: 'POST', path: '/access-requests/{id}/revoke', function: 'time-bound-api', auth: 'jwt' },
  { method: 'POST', path: '/operator/leavers', function: 'operator-leave', auth: 'jwt' },
] as const satisfies readonly { method: 'GET' | 'POST'; path: string; function: string; auth?: 'jwt' }[];

export const EVENT_BUS_NAME = 'gatehouse';

/** EventBridge rules on the gatehouse bus; each target is a function folder. */
export const EVENT_RULES = [
  {
    name: 'employee-events-to-router',
    eventPattern: {
      source: ['gatehouse.hris'],
      'detail-type': ['employee.hired', 'employee.changed', 'employee.left', 'employee.leave.cancelled'],
    },
    targetFunction: 'event-router',
  },
] as const;

/** State machines, each `statemachines/<name>.asl.json`. */
export const STATE_MACHINES = ['joiner', 'mover', 'leaver', 'time-bound'] as const;
export type StateMachineName = (typeof STATE_MACHINES)[number];

export const SCHEDULE_GROUP_NAME = 'gatehouse';
