/**
 * AWS's documented request-rate quotas for the operations the local cloud emulates, used by
 * the `rate=aws` fault rule (faults.ts). Each is a token bucket: `capacity` tokens, refilled at
 * `refillPerSecond`; a quota stated as "N per second" is a bucket of N refilled at N per second.
 * `shared` buckets are one for all the operations listed (a "combined rate"); otherwise each
 * operation has a bucket of its own. The first entry that lists an operation applies; an
 * operation no entry lists is not rate limited. Defaults of us-east-1, the local region.
 */
export interface Quota {
  operations: '*' | readonly string[];
  capacity: number;
  refillPerSecond: number;
  shared?: true;
  /** EC2 only: the smaller bucket a Describe call without pagination or a filter draws from. */
  unpaged?: { capacity: number; refillPerSecond: number };
}

export interface ServiceQuotas {
  source: string;
  quotas: readonly Quota[];
  /**
   * Services whose `shared` quota is one limit between them (an account-wide "collective" rate):
   * equal pools share one bucket, so a `rate=aws` rule on each draws from the same tokens.
   */
  pool?: string;
}

const perSecond = (operations: Quota['operations'], rate: number, shared?: true): Quota => ({
  operations,
  capacity: rate,
  refillPerSecond: rate,
  ...(shared ? { shared } : {}),
});

export const AWS_QUOTAS: Record<string, ServiceQuotas> = {
  // "IAM Identity Center APIs have a collective throttle limit of 20 transactions per second (TPS)",
  // the Identity Store API included: one bucket across every operation.
  identitystore: {
    source: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html#ssothrottlelimits',
    quotas: [perSecond('*', 20, true)],
    pool: 'identity-center',
  },
  // The same collective limit covers the admin API (account assignments, permission sets): "The
  // account access API has a collective throttle limit of 20 transactions per second (TPS) ... The
  // write API operations have a limit of 15 outstanding asynchronous calls"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/aam-quotas.html). One bucket with the Identity
  // Store's; the 15 outstanding writes are the model's own rule (sso-admin-model.ts).
  'sso-admin': {
    source: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html#ssothrottlelimits',
    quotas: [perSecond('*', 20, true)],
    pool: 'identity-center',
  },
  // Request token buckets per API action (categories and the uncategorized table); resource
  // token buckets (instances per RunInstances etc.) are not modelled.
  ec2: {
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/throttling.html',
    quotas: [
      { operations: ['DescribeInstances', 'DescribeVolumes', 'DescribeSnapshots'], capacity: 100, refillPerSecond: 20, unpaged: { capacity: 50, refillPerSecond: 10 } },
      { operations: ['DescribeTags'], capacity: 100, refillPerSecond: 20 },
      { operations: ['CreateTags', 'DeleteTags'], capacity: 100, refillPerSecond: 10 },
      { operations: ['CreateVolume', 'DeleteVolume', 'CreateSnapshot', 'DeleteSnapshot', 'TerminateInstances'], capacity: 100, refillPerSecond: 5 },
      { operations: ['RunInstances', 'StartInstances'], capacity: 5, refillPerSecond: 2 },
      // "Mutating actions": every other mutating action.
      { operations: '*', capacity: 50, refillPerSecond: 5 },
    ],
  },
  // "Quotas related to API action throttling" and "Other quotas", US East (N. Virginia).
  sfn: {
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-api-action-throttling-general',
    quotas: [
      { operations: ['StartExecution'], capacity: 1300, refillPerSecond: 300 },
      { operations: ['StopExecution'], capacity: 1000, refillPerSecond: 200 },
      { operations: ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'], capacity: 3000, refillPerSecond: 500 },
      { operations: ['DescribeExecution'], capacity: 300, refillPerSecond: 15 },
      { operations: ['DescribeStateMachine'], capacity: 200, refillPerSecond: 20 },
      { operations: ['DescribeStateMachineForExecution', 'DescribeMapRun'], capacity: 200, refillPerSecond: 1 },
      { operations: ['GetExecutionHistory'], capacity: 400, refillPerSecond: 20 },
      { operations: ['ListExecutions'], capacity: 200, refillPerSecond: 5 },
      { operations: ['ListStateMachines'], capacity: 100, refillPerSecond: 5 },
      { operations: ['ListMapRuns'], capacity: 100, refillPerSecond: 1 },
    ],
  },
  scheduler: {
    source: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html',
    quotas: [perSecond(['CreateSchedule'], 5000), perSecond(['CreateScheduleGroup'], 10), perSecond(['DeleteScheduleGroup'], 10)],
  },
  // "PutEvents throttle limit in transactions per second, us-east-1: 10,000"; the other APIs 50 each.
  events: {
    source: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html',
    quotas: [perSecond(['PutEvents'], 10_000), perSecond('*', 50)],
  },
  secretsmanager: {
    source: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_limits.html',
    quotas: [
      perSecond(['GetSecretValue'], 10_000),
      perSecond(['DescribeSecret'], 40_000),
      perSecond(['ListSecrets'], 100),
      perSecond(['PutSecretValue', 'UpdateSecret', 'UpdateSecretVersionStage'], 50, true),
      perSecond(['TagResource', 'UntagResource'], 50, true),
      perSecond(['RestoreSecret'], 50),
    ],
  },
};

/** The bucket AWS would charge for one call: its key (equal keys share a bucket) and size. */
export function awsBucketFor(service: string, operation: string, unpaged: boolean): { key: string; capacity: number; refillPerSecond: number } | undefined {
  const quotas = AWS_QUOTAS[service]?.quotas ?? [];
  const index = quotas.findIndex((q) => q.operations === '*' || q.operations.includes(operation));
  const quota = quotas[index];
  if (!quota) return undefined;
  if (quota.shared) return { key: `${AWS_QUOTAS[service]?.pool ?? service}#${index}`, capacity: quota.capacity, refillPerSecond: quota.refillPerSecond };
  if (unpaged && quota.unpaged) return { key: `${service}:${operation}#unpaged`, ...quota.unpaged };
  return { key: `${service}:${operation}`, capacity: quota.capacity, refillPerSecond: quota.refillPerSecond };
}
