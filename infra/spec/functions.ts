import type { TableSpec } from './tables.ts';

/**
 * Every Lambda function, as plain data: what it reads and writes, which AWS calls it makes,
 * which environment it parses at cold start, and its limits. The stack builds one
 * NodejsFunction per entry whose folder `functions/<name>/handler.ts` exists, and its IAM
 * role from nothing but this entry (see infra/constructs/permissions.ts). A folder with no
 * entry here fails synth: a new function must say what it may touch before it ships.
 */

/** Cumulative DynamoDB access levels. The audit table only ever gets `read` or `append`. */
export type TableAccess =
  /** GetItem, BatchGetItem, Query, ConditionCheckItem (table and its indexes). */
  | 'read'
  /** read + PutItem: append-only (conditional puts), never UpdateItem or DeleteItem. */
  | 'append'
  /** append + UpdateItem. */
  | 'write'
  /** write + DeleteItem and BatchWriteItem. */
  | 'write-delete';

export type TableName = TableSpec['name'];

export type IdentityStoreAction =
  | 'GetUserId'
  | 'GetGroupId'
  | 'GetGroupMembershipId'
  | 'DescribeUser'
  | 'ListUsers'
  | 'ListGroups'
  | 'ListGroupMemberships'
  | 'ListGroupMembershipsForMember'
  | 'CreateUser'
  | 'CreateGroupMembership'
  | 'DeleteGroupMembership'
  | 'DeleteUser';

export type Ec2Action =
  | 'RunInstances'
  | 'DescribeInstances'
  | 'DescribeVolumes'
  | 'DescribeSnapshots'
  | 'CreateVolume'
  | 'AttachVolume'
  | 'DetachVolume'
  | 'DeleteVolume'
  | 'StopInstances'
  | 'TerminateInstances'
  | 'CreateSnapshot'
  /** On existing managed instances, the gatehouse:review tag key only (reconcile remove mode). */
  | 'CreateTags';

export type StatesAction = 'StartExecution' | 'StopExecution' | 'DescribeExecution' | 'ListExecutions' | 'SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat';

export type SchedulerAction = 'CreateSchedule' | 'UpdateSchedule' | 'GetSchedule' | 'DeleteSchedule' | 'ListSchedules';

/** The AWS calls a function makes, beyond DynamoDB. Resources and conditions are fixed per kind. */
export type Access =
  | { readonly service: 'identitystore'; readonly actions: readonly IdentityStoreAction[] }
  | { readonly service: 'ec2'; readonly actions: readonly Ec2Action[] }
  /** SESv2 SendEmail, from the configured sender only. */
  | { readonly service: 'ses'; readonly actions: readonly ['SendEmail'] }
  /** PutEvents on the gatehouse bus. */
  | { readonly service: 'events'; readonly actions: readonly ['PutEvents'] }
  /** GetSecretValue on the `gatehouse/hris/<source>` signing secrets. */
  | { readonly service: 'secretsmanager'; readonly actions: readonly ['GetSecretValue'] }
  /** Step Functions calls on the named state machines (statemachines/<name>.asl.json). */
  | { readonly service: 'states'; readonly actions: readonly StatesAction[]; readonly stateMachines: readonly string[] }
  /** Schedules in the gatehouse group that start the named state machines (through the scheduler role). */
  | { readonly service: 'scheduler'; readonly actions: readonly SchedulerAction[]; readonly targets: readonly string[] };

/** Stack-level values a function may ask for by name (tables and state machine ARNs are derived). */
export type ConfigEnv =
  | 'EVENT_BUS_NAME'
  | 'HRIS_SECRET_PREFIX'
  | 'IDENTITY_STORE_ID'
  | 'APPROVAL_BASE_URL'
  | 'MAIL_FROM'
  | 'OPERATOR_EMAIL'
  | 'WORKSTATION_SUBNET_ID'
  | 'WORKSTATION_SECURITY_GROUP_ID'
  | 'WORKSTATION_AVAILABILITY_ZONE'
  | 'PROVISION_LEAD_HOURS'
  | 'APPROVAL_TIMEOUT_SECONDS'
  /** Reconcile: largest share of Identity Store users one removal run may delete (context maxRemovalShare). */
  | 'MAX_REMOVAL_SHARE'
  | 'OPERATOR_GROUP'
  | 'MOVER_OVERLAP_SECONDS';

export interface FunctionSpec {
  /** The folder under functions/. */
  readonly name: string;
  readonly description: string;
  /**
   * Who invokes it. `eventbridge` and `scheduler` invoke asynchronously, so those get an
   * SQS dead-letter queue; `http` functions are attached to routes in wiring.ts ROUTES.
   */
  readonly invokedBy: 'state-machine' | 'http' | 'eventbridge' | 'scheduler';
  readonly tables?: { readonly [T in TableName]?: TableAccess };
  readonly access?: readonly Access[];
  /** Configuration it parses at cold start (tables give `<NAME>_TABLE_NAME`, states/scheduler give `<NAME>_STATE_MACHINE_ARN`). */
  readonly env?: readonly ConfigEnv[];
  /** Default 30. */
  readonly timeoutSeconds?: number;
  /** Default 512. */
  readonly memoryMiB?: number;
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: 'hris-webhook',
    description: 'POST /hris/{source}: verify the HRIS signature, normalise, publish to the gatehouse bus, answer 202.',
    invokedBy: 'http',
    access: [
      { service: 'secretsmanager', actions: ['GetSecretValue'] },
      { service: 'events', actions: ['PutEvents'] },
    ],
    env: ['EVENT_BUS_NAME', 'HRIS_SECRET_PREFIX'],
    timeoutSeconds: 10,
  },
  {
    name: 'event-router',
    description: 'EventBridge target: one employee event in, one workflow execution named after the delivery id out.',
    invokedBy: 'eventbridge',
    access: [{ service: 'states', actions: ['StartExecution'], stateMachines: ['joiner', 'mover', 'leaver'] }],
    timeoutSeconds: 10,
  },
  {
    name: 'prepare-request',
    description: 'Joiner "Prepare Request": validate the hire, resolve entitlements, decide by policy, audit.',
    invokedBy: 'state-machine',
    tables: { employees: 'write', requests: 'append', audit: 'append' },
    env: ['PROVISION_LEAD_HOURS', 'APPROVAL_TIMEOUT_SECONDS'],
  },
  {
    name: 'approval-request',
    description: 'Ask Approver (waitForTaskToken): store the token under a random approval id, e-mail the link.',
    invokedBy: 'state-machine',
    tables: { approvals: 'write', requests: 'read', audit: 'append' },
    access: [{ service: 'ses', actions: ['SendEmail'] }],
    env: ['APPROVAL_BASE_URL', 'MAIL_FROM'],
  },
  {
    name: 'approval-page',
    description: 'GET/POST /approvals/{id}: the approval page and its one decision (SendTaskSuccess/Failure).',
    invokedBy: 'http',
    tables: { approvals: 'write', requests: 'read', audit: 'append' },
    access: [{ service: 'states', actions: ['SendTaskSuccess', 'SendTaskFailure'], stateMachines: ['joiner', 'mover', 'access-grant'] }],
    timeoutSeconds: 10,
  },
  {
    name: 'provision-identity',
    description: 'Create Identity Center User: get-or-create the user and its group memberships.',
    invokedBy: 'state-machine',
    access: [
      { service: 'identitystore', actions: ['GetUserId', 'GetGroupId', 'GetGroupMembershipId', 'CreateUser', 'CreateGroupMembership'] },
    ],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'launch-workstation',
    description: 'Launch Workstation: RunInstances with a ClientToken derived from the request.',
    invokedBy: 'state-machine',
    access: [{ service: 'ec2', actions: ['RunInstances'] }],
    env: ['WORKSTATION_SUBNET_ID', 'WORKSTATION_SECURITY_GROUP_ID', 'WORKSTATION_AVAILABILITY_ZONE'],
  },
  {
    name: 'check-workstation',
    description: 'Wait For Workstation: is the instance running yet.',
    invokedBy: 'state-machine',
    access: [{ service: 'ec2', actions: ['DescribeInstances'] }],
    timeoutSeconds: 10,
  },
  {
    name: 'attach-storage',
    description: 'Attach Storage: create the data volume (ClientToken) and attach it.',
    invokedBy: 'state-machine',
    access: [{ service: 'ec2', actions: ['CreateVolume', 'DescribeVolumes', 'AttachVolume'] }],
  },
  {
    name: 'record-grants',
    description: 'Record Grants: who has what now, one item per entitlement and source; grant.applied audit entries.',
    invokedBy: 'state-machine',
    tables: { grants: 'append', audit: 'append' },
  },
  {
    name: 'schedule-deprovisioning',
    description: 'Schedule Deprovisioning: a one-time schedule at the end date that starts the leaver workflow.',
    invokedBy: 'state-machine',
    tables: { employees: 'read' },
    access: [{ service: 'scheduler', actions: ['CreateSchedule', 'GetSchedule', 'UpdateSchedule'], targets: ['leaver'] }],
  },
  {
    name: 'notify',
    description: 'Notify: tell the employee and the manager what was provisioned.',
    invokedBy: 'state-machine',
    access: [{ service: 'ses', actions: ['SendEmail'] }],
    env: ['MAIL_FROM', 'OPERATOR_EMAIL'],
  },
  {
    name: 'compensate-joiner',
    description: 'Undo Provisioning: undo what a joiner request created, newest first; compensation.applied audit entries.',
    invokedBy: 'state-machine',
    tables: { audit: 'append' },
    access: [
      { service: 'identitystore', actions: ['GetUserId', 'GetGroupId', 'GetGroupMembershipId', 'DeleteGroupMembership', 'DeleteUser'] },
      { service: 'ec2', actions: ['DescribeInstances', 'DescribeVolumes', 'TerminateInstances', 'DetachVolume', 'DeleteVolume'] },
    ],
    env: ['IDENTITY_STORE_ID'],
    timeoutSeconds: 120,
  },
  {
    name: 'record-outcome',
    description: 'Record Failure / Denial / Expiry / Rejection: the request outcome and its audit entry.',
    invokedBy: 'state-machine',
    tables: { requests: 'write', approvals: 'read', audit: 'append' },
  },
  {
    name: 'prepare-move',
    description: 'Mover "Prepare Move": old and new role, what the new role adds, policy decision, workstation launched or kept; audit.',
    invokedBy: 'state-machine',
    tables: { employees: 'read', grants: 'read', requests: 'append', audit: 'append' },
    env: ['APPROVAL_TIMEOUT_SECONDS', 'MOVER_OVERLAP_SECONDS'],
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
  {
    name: 'access-request',
    description: 'POST /access-requests (+ GET /{id}, POST /{id}/revoke), JWT: validate, start or revoke a time-bound grant.',
    invokedBy: 'http',
    tables: { employees: 'read', requests: 'read' },
    access: [{ service: 'states', actions: ['StartExecution', 'DescribeExecution'], stateMachines: ['access-grant'] }],
    env: ['OPERATOR_GROUP'],
    timeoutSeconds: 10,
  },
  {
    name: 'prepare-access-request',
    description: 'Access grant "Prepare Access Request": subject, entitlements, policy (jit), request record; audit.',
    invokedBy: 'state-machine',
    tables: { employees: 'read', requests: 'append', audit: 'append' },
    env: ['APPROVAL_TIMEOUT_SECONDS'],
  },
  {
    name: 'record-time-bound-grants',
    description: 'Access grant "Record Time-Bound Grants": expiresAt, grant items (source jit), grant.applied entries.',
    invokedBy: 'state-machine',
    tables: { grants: 'append', requests: 'write', audit: 'append' },
  },
  {
    name: 'schedule-expiry',
    description: 'Access grant "Schedule Expiry" / "Delete Expiry Schedule": one-time schedule that starts the revoke at expiresAt.',
    invokedBy: 'state-machine',
    access: [{ service: 'scheduler', actions: ['CreateSchedule', 'GetSchedule', 'UpdateSchedule', 'DeleteSchedule'], targets: ['access-grant'] }],
  },
  {
    name: 'plan-jit-revocation',
    description: 'Access grant "Plan Revocation": what a request\'s end removes (only what no other active grant justifies).',
    invokedBy: 'state-machine',
    tables: { grants: 'read', employees: 'read', requests: 'read' },
    timeoutSeconds: 10,
  },
  {
    name: 'remove-jit-memberships',
    description: 'Access grant "Remove Memberships": exactly the planned group memberships.',
    invokedBy: 'state-machine',
    access: [{ service: 'identitystore', actions: ['GetUserId', 'GetGroupId', 'GetGroupMembershipId', 'DeleteGroupMembership'] }],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'close-time-bound-grants',
    description: 'Access grant "Close Time-Bound Grants": grant items expired/revoked (conditional), grant.revoked entries, request ended.',
    invokedBy: 'state-machine',
    tables: { grants: 'write', requests: 'write', audit: 'append' },
  },
  {
    name: 'prepare-leave',
    description: 'Leaver "Prepare Leave": validate the employee.left event, audit who asked (request.received), load active grants, decide now or at effectiveAt.',
    invokedBy: 'state-machine',
    tables: { employees: 'read', grants: 'read', audit: 'append' },
    timeoutSeconds: 10,
  },
  {
    name: 'schedule-leave',
    description: 'Leaver "Decide When Access Ends" / "Cancel Scheduled Leave": put, move or delete the end-of-access schedule; leave.decided audit entries.',
    invokedBy: 'state-machine',
    tables: { employees: 'read', audit: 'append' },
    access: [{ service: 'scheduler', actions: ['CreateSchedule', 'GetSchedule', 'UpdateSchedule', 'DeleteSchedule'], targets: ['leaver'] }],
    timeoutSeconds: 10,
  },
  {
    name: 'operator-leave',
    description: 'POST /operator/leavers (JWT, operator group): the kill switch; starts the leaver directly, named after the Idempotency-Key.',
    invokedBy: 'http',
    tables: { employees: 'read' },
    access: [{ service: 'states', actions: ['StartExecution', 'DescribeExecution'], stateMachines: ['leaver'] }],
    env: ['OPERATOR_GROUP'],
    timeoutSeconds: 10,
  },
  {
    name: 'cancel-pending-work',
    description: 'Leaver "Cancel Pending Work": stop running joiners, movers and time-bound grants, cancel pending approvals, delete other schedules.',
    invokedBy: 'state-machine',
    tables: { requests: 'read', approvals: 'write' },
    access: [
      { service: 'states', actions: ['ListExecutions', 'StopExecution'], stateMachines: ['joiner', 'mover', 'access-grant'] },
      { service: 'scheduler', actions: ['GetSchedule', 'DeleteSchedule'], targets: ['leaver', 'access-grant'] },
    ],
  },
  {
    name: 'revoke-identity',
    description: 'Leaver "Revoke Group Memberships" / "Delete Identity Center User": remove what the user holds, then the user.',
    invokedBy: 'state-machine',
    access: [{ service: 'identitystore', actions: ['GetUserId', 'ListGroupMembershipsForMember', 'DeleteGroupMembership', 'DeleteUser'] }],
    env: ['IDENTITY_STORE_ID'],
  },
  {
    name: 'retire-workstation',
    description: 'Leaver "Stop Workstation" / "Snapshot Volumes" / "Terminate Workstation" / "Delete Volumes", by the employee tag.',
    invokedBy: 'state-machine',
    access: [
      {
        service: 'ec2',
        actions: ['DescribeInstances', 'DescribeVolumes', 'DescribeSnapshots', 'StopInstances', 'CreateSnapshot', 'TerminateInstances', 'DetachVolume', 'DeleteVolume'],
      },
    ],
  },
  {
    name: 'close-grants',
    description: 'Leaver "Close Grants": every active grant of the person becomes revoked (conditional update).',
    invokedBy: 'state-machine',
    tables: { grants: 'write' },
  },
  {
    name: 'record-leave',
    description: 'Leaver "Record Leave" / "Mark Employee Left": grant.revoked audit entries, the report, the employee status.',
    invokedBy: 'state-machine',
    tables: { employees: 'write', audit: 'append' },
  },
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
    ],
    env: ['IDENTITY_STORE_ID', 'MAIL_FROM', 'OPERATOR_EMAIL', 'MAX_REMOVAL_SHARE'],
    timeoutSeconds: 900,
    memoryMiB: 1024,
  },
];

export const stateMachineEnvVar = (stateMachine: string): string => `${stateMachine.replaceAll('-', '_').toUpperCase()}_STATE_MACHINE_ARN`;

/** State machines a function needs the ARN of: those it calls and those its schedules start. */
export function stateMachinesOf(spec: FunctionSpec): string[] {
  const names = (spec.access ?? []).flatMap((access) =>
    access.service === 'states' ? access.stateMachines : access.service === 'scheduler' ? access.targets : [],
  );
  return [...new Set(names)];
}

/** Every environment variable a function's spec requires, in a stable order. */
export function requiredEnv(spec: FunctionSpec, tableEnvVar: (table: TableName) => string): string[] {
  const env = new Set<string>(spec.env ?? []);
  for (const table of Object.keys(spec.tables ?? {}) as TableName[]) env.add(tableEnvVar(table));
  for (const machine of stateMachinesOf(spec)) env.add(stateMachineEnvVar(machine));
  if ((spec.access ?? []).some((access) => access.service === 'scheduler')) {
    env.add('SCHEDULE_GROUP_NAME');
    env.add('SCHEDULER_ROLE_ARN');
  }
  return [...env].sort();
}

export function functionSpec(name: string): FunctionSpec | undefined {
  return FUNCTIONS.find((spec) => spec.name === name);
}
