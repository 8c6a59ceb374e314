import type { FunctionSpec } from '../functions.ts';

/** Functions no workflow calls: scheduled operations. */
export const OPERATIONS_FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'reconcile',
    description: 'Daily: compare who should have what with what exists; e-mail operators. Remove mode: an operator-confirmed plan.',
    invokedBy: 'scheduler',
    tables: { employees: 'read', grants: 'read', audit: 'append' },
    access: [
      // Report: list; remove mode (an operator's confirmed plan): delete orphan users and memberships.
      { service: 'identitystore', actions: ['ListUsers', 'ListGroups', 'ListGroupMembershipsForMember', 'DeleteGroupMembership', 'DeleteUser'] },
      // Remove mode tags an untracked instance gatehouse:review and stops it; it never terminates.
      { service: 'ec2', actions: ['DescribeInstances', 'DescribeVolumes', 'CreateTags', 'StopInstances'] },
      { service: 'ses', actions: ['SendEmail'] },
      // Report: each user's account assignments and the names of their permission sets; remove mode deletes
      // an unexpected assignment of a catalogue permission set on a catalogue account and polls its status.
      { service: 'sso', actions: ['ListAccountAssignmentsForPrincipal', 'DescribePermissionSet', 'ListPermissionSets', 'DeleteAccountAssignment', 'DescribeAccountAssignmentDeletionStatus'] },
    ],
    env: ['IDENTITY_STORE_ID', 'SSO_INSTANCE_ARN', 'MAIL_FROM', 'OPERATOR_EMAIL', 'MAX_REMOVAL_SHARE'],
    timeoutSeconds: 900,
    memoryMiB: 1024,
  },
];
