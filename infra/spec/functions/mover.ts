import type { FunctionSpec } from '../functions.ts';

/** Functions only the mover uses (it also reuses joiner and leaver steps). */
export const MOVER_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'prepare-move',
    description: 'Mover "Prepare Move": old and new role, what the new role adds, policy decision, workstation launched or kept; a new e-mail updates the user; audit.',
    invokedBy: 'state-machine',
    tables: { employees: 'read', grants: 'read', requests: 'append', audit: 'append' },
    // A changed work e-mail: the user found (GetUserId, DescribeUser for its link) and updated (issue #14).
    access: [{ service: 'identitystore', actions: ['GetUserId', 'DescribeUser', 'UpdateUser'] }],
    env: ['APPROVAL_TIMEOUT_SECONDS', 'MOVER_OVERLAP_SECONDS', 'IDENTITY_STORE_ID'],
    timeoutSeconds: 10,
  },
  {
    name: 'revoke-old-role',
    description: 'Mover "Plan Revocation" / "Close Old Role Grants": what no active source justifies any more; grant.revoked entries, stale role grants closed.',
    invokedBy: 'state-machine',
    tables: { grants: 'write', audit: 'append' },
  },
  {
    name: 'revoke-memberships',
    description: 'Mover "Remove Old Memberships": exactly the group memberships the plan revokes; the user stays.',
    invokedBy: 'state-machine',
    access: [{ service: 'identitystore', actions: ['GetUserId', 'GetGroupId', 'GetGroupMembershipId', 'DeleteGroupMembership'] }],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'record-move',
    description: 'Mover "Update Employee Role" / "Record Employee Change": the employee item takes the event\'s role and fields (conditional).',
    invokedBy: 'state-machine',
    tables: { employees: 'write' },
    timeoutSeconds: 10,
  },
];
