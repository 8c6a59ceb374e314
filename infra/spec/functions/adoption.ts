import type { FunctionSpec } from '../functions.ts';
import { TASK as applyAdoptionTask } from '../../../functions/lib/tasks/apply-adoption.ts';

/**
 * Adoption (statemachines/adoption.asl.json, issue #14): one function for both Task states (task
 * contracts in functions/lib/tasks/apply-adoption.ts). It reads the plan the CLI stored, writes what
 * an adopted person's records are (employees item, grants, audit entries, all conditional), hires
 * people with no user by putting employee.hired on the bus (the joiner creates them), and removes
 * extra memberships only for a plan applied with --revoke-extras.
 */
export const ADOPTION_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'apply-adoption',
    description: applyAdoptionTask.description,
    invokedBy: 'state-machine',
    // employees: conditional UpdateItem (written only when absent); grants and audit: conditional puts.
    tables: { adoptions: 'read', employees: 'update', grants: 'append', audit: 'append' },
    access: [
      { service: 'identitystore', actions: ['DeleteGroupMembership'] },
      { service: 'events', actions: ['PutEvents'] },
    ],
    env: ['IDENTITY_STORE_ID', 'EVENT_BUS_NAME'],
    timeoutSeconds: 300,
    memoryMiB: 1024,
  },
];
