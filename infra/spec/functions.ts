import type { TableSpec } from './tables.ts';
import { JOINER_FUNCTIONS } from './functions/joiner.ts';
import { MOVER_FUNCTIONS } from './functions/mover.ts';
import { TIME_BOUND_FUNCTIONS } from './functions/time-bound.ts';
import { LEAVER_FUNCTIONS } from './functions/leaver.ts';
import { OPERATIONS_FUNCTIONS } from './functions/operations.ts';
import { EC2_WAIT_FUNCTIONS } from './functions/ec2-waits.ts';
import { CONSOLE_FUNCTIONS } from './functions/console.ts';
import { REVIEW_FUNCTIONS } from './functions/reviews.ts';
import { SLACK_FUNCTIONS } from './functions/slack.ts';
import { CATALOGUE_FUNCTIONS } from './functions/catalogue.ts';
import { ADOPTION_FUNCTIONS } from './functions/adoption.ts';

/**
 * Every Lambda function, as plain data: what it reads and writes, which AWS calls it makes,
 * which environment it parses at cold start, and its limits. The stack builds one
 * NodejsFunction per entry whose folder `functions/<name>/handler.ts` exists, and its IAM
 * role from nothing but this entry (see infra/constructs/permissions.ts). A folder with no
 * entry here fails synth: a new function must say what it may touch before it ships.
 */

/** Cumulative DynamoDB access levels (`update` aside). The audit table only ever gets `read` or `append`. */
export type TableAccess =
  /** GetItem, BatchGetItem, Query, ConditionCheckItem (table and its indexes). */
  | 'read'
  /** read + Scan of the table (the auditors' console questions read every entry, as an export does). */
  | 'read-scan'
  /** read + UpdateItem, never PutItem: changes attributes of existing items (conditional updates). */
  | 'update'
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
  | 'UpdateUser'
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

/** IAM Identity Center account assignments (sso-admin API, IAM prefix `sso`). */
export type SsoAction =
  | 'ListPermissionSets'
  | 'DescribePermissionSet'
  | 'ListAccountAssignmentsForPrincipal'
  | 'CreateAccountAssignment'
  | 'DeleteAccountAssignment'
  | 'DescribeAccountAssignmentCreationStatus'
  | 'DescribeAccountAssignmentDeletionStatus';

export type StatesAction = 'StartExecution' | 'StopExecution' | 'DescribeExecution' | 'GetExecutionHistory' | 'ListExecutions' | 'SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat';

export type SchedulerAction = 'CreateSchedule' | 'UpdateSchedule' | 'GetSchedule' | 'DeleteSchedule' | 'ListSchedules';

/** The AWS calls a function makes, beyond DynamoDB. Resources and conditions are fixed per kind. */
export type Access =
  | { readonly service: 'identitystore'; readonly actions: readonly IdentityStoreAction[] }
  | { readonly service: 'ec2'; readonly actions: readonly Ec2Action[] }
  /** On the configured Identity Center instance, the catalogue's permission sets and accounts (and the iam: actions CreateAccountAssignment needs). */
  | { readonly service: 'sso'; readonly actions: readonly SsoAction[] }
  /** SESv2 SendEmail, from the configured sender only. */
  | { readonly service: 'ses'; readonly actions: readonly ['SendEmail'] }
  /** PutEvents on the gatehouse bus. */
  | { readonly service: 'events'; readonly actions: readonly ['PutEvents'] }
  /** GetSecretValue on the `gatehouse/hris/<source>` signing secrets, or (`secret: 'slack'`) on the Slack app's secret only. */
  | { readonly service: 'secretsmanager'; readonly actions: readonly ['GetSecretValue']; readonly secret?: 'slack' }
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
  /** Notification kinds switched off, comma-separated (context `notificationsOff`, domain/notifications/switches.ts). */
  | 'NOTIFICATIONS_OFF'
  /** The ending-soon reminder's lead, ISO-8601 (context `endingSoonLead`, domain/time-bound/expiry.ts). */
  | 'ENDING_SOON_LEAD'
  | 'WORKSTATION_SUBNET_ID'
  | 'WORKSTATION_SECURITY_GROUP_ID'
  | 'WORKSTATION_AVAILABILITY_ZONE'
  | 'PROVISION_LEAD_HOURS'
  | 'APPROVAL_TIMEOUT_SECONDS'
  /** Reconcile: largest share of Identity Store users one removal run may delete (context maxRemovalShare). */
  | 'MAX_REMOVAL_SHARE'
  | 'OPERATOR_GROUP'
  /** The group whose members see the console's Audit page (context `auditorGroup`). */
  | 'AUDITOR_GROUP'
  | 'MOVER_OVERLAP_SECONDS'
  /** The IAM Identity Center instance (context `identityCenterInstanceArn`). */
  | 'SSO_INSTANCE_ARN'

  /** The Slack app's secret (bot token, signing secret, channel): docs/slack.md. */
  | 'SLACK_SECRET_NAME';

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

/** Every function, grouped by the workflow that owns it (infra/spec/functions/*.ts). */
export const FUNCTIONS: readonly FunctionSpec[] = [
  ...JOINER_FUNCTIONS,
  ...MOVER_FUNCTIONS,
  ...TIME_BOUND_FUNCTIONS,
  ...LEAVER_FUNCTIONS,
  ...OPERATIONS_FUNCTIONS,
  ...EC2_WAIT_FUNCTIONS,
  ...CONSOLE_FUNCTIONS,
  ...REVIEW_FUNCTIONS,
  ...SLACK_FUNCTIONS,
  ...CATALOGUE_FUNCTIONS,
  ...ADOPTION_FUNCTIONS,
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
