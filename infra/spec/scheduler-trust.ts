import { SCHEDULE_GROUP_NAME } from './wiring.ts';

/**
 * The trust policy of the role EventBridge Scheduler assumes to start Gatehouse workflows, as
 * data: the CDK stack builds the role from it and the local Scheduler checks every delivery
 * against it, so a wrong policy fails a local test as it would fail on AWS.
 *
 * "The value of aws:SourceArn must be your EventBridge Scheduler schedule group ARN ... Do not
 * scope the aws:SourceArn statement to a specific schedule or a schedule name prefix. The ARN you
 * specify must be a schedule group."
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html)
 * Scheduler presents the group's ARN when it assumes the role, so a schedule ARN here lets
 * CreateSchedule succeed and every invocation fail at AssumeRole.
 */
export const SCHEDULER_SERVICE_PRINCIPAL = 'scheduler.amazonaws.com';

/** Where the stack lives; CDK passes its (token) partition, region and account. */
export interface ArnScope {
  partition: string;
  region: string;
  account: string;
}

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface TrustStatement {
  Effect: 'Allow' | 'Deny';
  Principal: { Service: string | string[] };
  Action: string | string[];
  Condition?: ConditionBlock;
}

export interface TrustPolicy {
  Version: '2012-10-17';
  Statement: TrustStatement[];
}

export const scheduleGroupArn = (scope: ArnScope, group: string = SCHEDULE_GROUP_NAME): string =>
  `arn:${scope.partition}:scheduler:${scope.region}:${scope.account}:schedule-group/${group}`;

/** The conditions on the trust: schedules of the gatehouse group, in this account only. */
export function schedulerTrustConditions(scope: ArnScope): ConditionBlock {
  return { StringEquals: { 'aws:SourceAccount': scope.account, 'aws:SourceArn': scheduleGroupArn(scope) } };
}

export function schedulerTrustPolicy(scope: ArnScope): TrustPolicy {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: SCHEDULER_SERVICE_PRINCIPAL }, Action: 'sts:AssumeRole', Condition: schedulerTrustConditions(scope) }],
  };
}
