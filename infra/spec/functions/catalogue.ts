import type { FunctionSpec } from '../functions.ts';
import { TASK as convergeCatalogueTask } from '../../../functions/lib/tasks/converge-catalogue.ts';

/**
 * Catalogue convergence (statemachines/catalogue-convergence.asl.json): one function for its own
 * Task states (task contracts in functions/lib/tasks/converge-catalogue.ts); the per-person steps
 * that record grants, remove memberships and close grants are the mover's functions.
 */
export const CATALOGUE_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'converge-catalogue',
    description: convergeCatalogueTask.description,
    invokedBy: 'state-machine',
    // The plan reads the whole company (Scan of employees and active grants); the segment step a parallel-Scan segment.
    tables: { employees: 'read-scan', grants: 'read-scan', requests: 'append', audit: 'append' },
    // Grant Added Memberships: the linked user (GetUserId, DescribeUser for its link), the group, the membership (get-or-create).
    access: [{ service: 'identitystore', actions: ['GetUserId', 'DescribeUser', 'GetGroupId', 'GetGroupMembershipId', 'CreateGroupMembership'] }],
    env: ['IDENTITY_STORE_ID', 'APPROVAL_TIMEOUT_SECONDS'],
    timeoutSeconds: 300,
    memoryMiB: 1024,
  },
];
