import { TABLES, tableEnvVar, type TableSpec } from '../infra/spec/tables.ts';
import { EVENT_BUS_NAME, SCHEDULE_GROUP_NAME, SLACK_SECRET_NAME, STATE_MACHINES } from '../infra/spec/wiring.ts';
import { classifySubstitution, type GlobalSubstitution } from '../infra/spec/substitutions.ts';
import { stateMachineEnvVar } from '../infra/spec/functions.ts';
import { schedulerTrustPolicy, type TrustPolicy } from '../infra/spec/scheduler-trust.ts';
import { functionArn, LOCAL_ACCOUNT, LOCAL_REGION, stateMachineArn } from './core/arn.ts';
import { localCatalogueFile } from './catalogue.ts';

/** Names of the local cloud's resources; `tablePrefix` lets tests share one DynamoDB Local. */
export interface LocalNames {
  tablePrefix: string;
  frontDoorUrl: string;
}

export const LOCAL_IDENTITY_STORE_ID = 'd-9067000000';
/** The local Identity Center instance (sso-admin); `ssoins-` and 16 characters, as AWS's pattern asks. */
export const LOCAL_SSO_INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-7223000000000000';
export const SCHEDULER_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/gatehouse-scheduler`;
/** The roles the local Scheduler may assume, trusting it exactly as the stack's role does. */
export const LOCAL_SCHEDULER_ROLES: Record<string, TrustPolicy> = {
  [SCHEDULER_ROLE_ARN]: schedulerTrustPolicy({ partition: 'aws', region: LOCAL_REGION, account: LOCAL_ACCOUNT }),
};
export const HRIS_SECRET_PREFIX = 'gatehouse/hris/';
/** The channel the local Slack app posts notifications to. */
export { SLACK_SECRET_NAME };
export const LOCAL_SLACK_CHANNEL = 'C0GATEHOUSE';
/** The group whose members may pull the kill switch (context `operatorGroup` on AWS). */
export const LOCAL_OPERATOR_GROUP = 'gatehouse-operators';

const GLOBAL_VALUES: Record<GlobalSubstitution, string> = {
  EventBusName: EVENT_BUS_NAME,
  ScheduleGroupName: SCHEDULE_GROUP_NAME,
  SchedulerRoleArn: SCHEDULER_ROLE_ARN,
};

export const tableName = (names: LocalNames, table: TableSpec['name']): string => `${names.tablePrefix}${table}`;

/**
 * The environment every function gets on the local cloud: the same variables the CDK
 * stack sets, with local values. Functions parse it with zod at cold start.
 */
export function localFunctionEnv(names: LocalNames, catalogueFile: string = localCatalogueFile()): Record<string, string> {
  const env: Record<string, string> = {
    // Where the stack puts an S3 object, the local cloud names the file (GATEHOUSE_CATALOGUE).
    CATALOGUE_SOURCE: catalogueFile,
    EVENT_BUS_NAME,
    SCHEDULE_GROUP_NAME,
    SCHEDULER_ROLE_ARN,
    IDENTITY_STORE_ID: LOCAL_IDENTITY_STORE_ID,
    SSO_INSTANCE_ARN: LOCAL_SSO_INSTANCE_ARN,
    APPROVAL_BASE_URL: names.frontDoorUrl,
    MAIL_FROM: 'gatehouse@example.com',
    OPERATOR_EMAIL: 'it-ops@example.com',
    NOTIFICATIONS_OFF: process.env.GATEHOUSE_NOTIFICATIONS_OFF ?? '',
    ENDING_SOON_LEAD: process.env.GATEHOUSE_ENDING_SOON_LEAD ?? 'PT15M',
    OPERATOR_GROUP: LOCAL_OPERATOR_GROUP,
    AUDITOR_GROUP: 'gatehouse-auditors',
    HRIS_SECRET_PREFIX,
    SLACK_SECRET_NAME,
    WORKSTATION_SUBNET_ID: 'subnet-0123456789abcdef0',
    WORKSTATION_SECURITY_GROUP_ID: 'sg-0123456789abcdef0',
    WORKSTATION_AVAILABILITY_ZONE: 'us-east-1a',
    MOVER_OVERLAP_SECONDS: '0',
    POWERTOOLS_SERVICE_NAME: 'gatehouse',
    POWERTOOLS_LOG_LEVEL: process.env.GATEHOUSE_LOG_LEVEL ?? 'WARN',
  };
  for (const table of TABLES) env[tableEnvVar(table.name)] = tableName(names, table.name);
  for (const machine of STATE_MACHINES) env[stateMachineEnvVar(machine)] = stateMachineArn(machine);
  env.LEAVER_STATE_MACHINE_ARN = stateMachineArn('leaver');
  return env;
}

/** Values for every `${...}` an ASL file may use, resolved to local resources. */
export function localSubstitution(names: LocalNames, key: string): string {
  const sub = classifySubstitution(key);
  switch (sub.kind) {
    case 'function':
      return functionArn(sub.resource);
    case 'stateMachine':
      return stateMachineArn(sub.resource);
    case 'table':
      return tableName(names, sub.resource as TableSpec['name']);
    case 'global':
      return GLOBAL_VALUES[sub.resource as GlobalSubstitution];
  }
}
