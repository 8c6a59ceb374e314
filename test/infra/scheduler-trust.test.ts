import { beforeAll, describe, expect, it } from 'vitest';
import { asList, DEPLOY_CONTEXT, ofType, synthGatehouse, type Synthesised } from './synth.ts';

/**
 * Every role that EventBridge Scheduler assumes trusts it only for schedules of one schedule
 * GROUP: "The value of aws:SourceArn must be your EventBridge Scheduler schedule group ARN ...
 * Do not scope the aws:SourceArn statement to a specific schedule or a schedule name prefix"
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html).
 * A schedule ARN there lets CreateSchedule succeed and every invocation fail at AssumeRole.
 */
let synth: Synthesised;
beforeAll(() => {
  synth = synthGatehouse();
});

const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': DEPLOY_CONTEXT.region, 'AWS::AccountId': DEPLOY_CONTEXT.account };

interface TrustStatement {
  Effect: string;
  Action: string | string[];
  Principal?: { Service?: string | string[] };
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * A template value as text, as CloudFormation resolves it in the deploy context's account and
 * region: Fn::Join flattened, pseudo parameters, a schedule group's Arn attribute.
 */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = (value ?? {}) as Record<string, unknown>;
  if (typeof node.Ref === 'string') return PSEUDO[node.Ref] ?? `<Ref ${node.Ref}>`;
  const [id, attribute] = (node['Fn::GetAtt'] ?? []) as string[];
  const group = id === undefined ? undefined : synth.resources[id];
  if (group?.Type === 'AWS::Scheduler::ScheduleGroup' && attribute === 'Arn') {
    return `arn:aws:scheduler:${DEPLOY_CONTEXT.region}:${DEPLOY_CONTEXT.account}:schedule-group/${text(group.Properties?.Name)}`;
  }
  const join = node['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(text).join(join[0]);
  return JSON.stringify(value);
}

function schedulerTrusts(): { role: string; statement: TrustStatement }[] {
  return ofType(synth.resources, 'AWS::IAM::Role').flatMap(([role, resource]) => {
    const document = resource.Properties?.AssumeRolePolicyDocument as { Statement: TrustStatement[] };
    return document.Statement.filter((s) => asList(s.Principal?.Service ?? []).includes('scheduler.amazonaws.com')).map((statement) => ({ role, statement }));
  });
}

/** The aws:SourceArn values of a statement, with the operator that compares them. */
function sourceArns(statement: TrustStatement): { operator: string; arn: string }[] {
  return Object.entries(statement.Condition ?? {}).flatMap(([operator, keys]) =>
    Object.entries(keys)
      .filter(([key]) => key === 'aws:SourceArn')
      .flatMap(([, value]) => asList(value).map((arn) => ({ operator, arn: text(arn) }))),
  );
}

const GROUP_ARN = /^arn:[^:]+:scheduler:[^:]+:[^:]+:schedule-group\/[A-Za-z0-9._-]+$/;

describe('roles EventBridge Scheduler assumes', () => {
  it('are the runtime schedules\' role and the role of each schedule CDK builds', () => {
    const roles = new Set(schedulerTrusts().map(({ role }) => role));
    expect(roles.size).toBe(1 + ofType(synth.resources, 'AWS::Scheduler::Schedule').length);
  });

  it('trust scheduler.amazonaws.com only with aws:SourceArn equal to a schedule group ARN', () => {
    const wrong = schedulerTrusts().flatMap(({ role, statement }) => {
      const arns = sourceArns(statement);
      if (arns.length === 0) return [`${role}: no aws:SourceArn condition`];
      return arns.filter(({ operator, arn }) => !GROUP_ARN.test(arn) || !['StringEquals', 'ArnEquals'].includes(operator)).map(({ operator, arn }) => `${role}: ${operator} ${arn}`);
    });
    expect(wrong).toEqual([]);
  });

  it('scope the gatehouse group of this account, with aws:SourceAccount', () => {
    for (const { role, statement } of schedulerTrusts()) {
      expect(sourceArns(statement).map(({ arn }) => arn.split(':').slice(4).join(':')), role).toEqual(['123456789012:schedule-group/gatehouse']);
      expect(text(statement.Condition?.StringEquals?.['aws:SourceAccount']), role).toBe('123456789012');
    }
  });
});
