import type { FunctionSpec } from '../functions.ts';
import { TASK as prepareMoveTask } from '../../../functions/lib/tasks/prepare-move.ts';
import { TASK as recordMoveTask } from '../../../functions/lib/tasks/record-move.ts';
import { TASK as revokeMembershipsTask } from '../../../functions/lib/tasks/revoke-memberships.ts';
import { TASK as revokeOldRoleTask } from '../../../functions/lib/tasks/revoke-old-role.ts';

/** Functions only the mover uses (it also reuses joiner and leaver steps). */
export const MOVER_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'prepare-move',
    description: prepareMoveTask.description,
    invokedBy: 'state-machine',
    tables: { employees: 'read', grants: 'read', requests: 'append', audit: 'append' },
    // A changed work e-mail: the user found (GetUserId, DescribeUser for its link) and updated (issue #14).
    access: [{ service: 'identitystore', actions: ['GetUserId', 'DescribeUser', 'UpdateUser'] }],
    env: ['APPROVAL_TIMEOUT_SECONDS', 'MOVER_OVERLAP_SECONDS', 'IDENTITY_STORE_ID'],
    timeoutSeconds: 10,
  },
  {
    name: 'revoke-old-role',
    description: revokeOldRoleTask.description,
    invokedBy: 'state-machine',
    tables: { grants: 'write', audit: 'append' },
  },
  {
    name: 'revoke-memberships',
    description: revokeMembershipsTask.description,
    invokedBy: 'state-machine',
    access: [{ service: 'identitystore', actions: ['GetUserId', 'GetGroupId', 'GetGroupMembershipId', 'DeleteGroupMembership'] }],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'record-move',
    description: recordMoveTask.description,
    invokedBy: 'state-machine',
    tables: { employees: 'write' },
    timeoutSeconds: 10,
  },
];
