import type { FunctionSpec } from '../functions.ts';
import { STATE_MACHINES } from '../wiring.ts';

/**
 * The console's API (web/): one function per page family, each reading only the tables its
 * pages show, behind the JWT authorizer. Groups decide who may call the operator and auditor
 * ones (403 in the function, whatever the page shows).
 */
export const CONSOLE_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'console-self-service',
    description: 'GET /api/me, /api/catalogue, /api/catalogue/{id}/approvers, /api/my/access: what every signed-in person sees.',
    invokedBy: 'http',
    tables: { employees: 'read', requests: 'read', approvals: 'read', grants: 'read' },
    env: ['OPERATOR_GROUP', 'AUDITOR_GROUP'],
    timeoutSeconds: 10,
  },
  {
    name: 'console-approvals',
    description: 'GET /api/approvals, POST /api/approvals/{id}: the approver inbox and a decision bound to the signed-in approver.',
    invokedBy: 'http',
    // employees + notifications + SendEmail: the requester is told once the chain approved (kind approved).
    tables: { approvals: 'write', requests: 'read', employees: 'read', audit: 'append', notifications: 'write' },
    access: [
      { service: 'states', actions: ['SendTaskSuccess', 'SendTaskFailure'], stateMachines: ['joiner', 'mover', 'time-bound'] },
      { service: 'ses', actions: ['SendEmail'] },
    ],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL', 'NOTIFICATIONS_OFF'],
    timeoutSeconds: 10,
  },
  {
    name: 'console-people',
    description: 'GET /api/people, /api/people/{id}, /api/findings (operators): search, holdings by source, timeline, reconciliation findings.',
    invokedBy: 'http',
    tables: { employees: 'read', grants: 'read', audit: 'read' },
    env: ['OPERATOR_GROUP'],
    timeoutSeconds: 10,
  },
  {
    name: 'console-workflows',
    description: 'GET /api/workflows (operators): recent executions of every workflow, failed first, with the failing step.',
    invokedBy: 'http',
    access: [{ service: 'states', actions: ['ListExecutions', 'GetExecutionHistory'], stateMachines: [...STATE_MACHINES] }],
    env: ['OPERATOR_GROUP'],
    timeoutSeconds: 15,
  },
  {
    name: 'console-audit',
    description: 'GET /api/audit/{query}, /api/audit/entries, /api/audit/chains (auditors): the CLI audit queries over the audit table by key, JSON or CSV; the log by page; chain integrity.',
    invokedBy: 'http',
    tables: { audit: 'read-scan' },
    env: ['AUDITOR_GROUP'],
    timeoutSeconds: 60,
    memoryMiB: 1024,
  },
];
