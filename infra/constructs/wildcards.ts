import { Stack } from 'aws-cdk-lib';
import { Policy } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { acknowledge } from './nag.ts';

/**
 * Every wildcard *resource* in the stack's IAM policies, explained. Runs once over the
 * finished stack: each role's policy is read as cdk-nag reads it, each AwsSolutions-IAM5
 * finding is acknowledged with the reason below, and a wildcard nobody explained here fails
 * synth. Wildcard *actions* are never acknowledged.
 */

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}

/** Why an action may only be granted on Resource '*'. */
const STAR_ONLY: [RegExp, string][] = [
  [/^xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)$/, 'X-Ray trace submission supports no resource-level permissions'],
  [/^ec2:Describe(Instances|Volumes|Snapshots)$/, 'EC2 Describe* calls support no resource-level permissions'],
  [/^states:SendTask(Success|Failure|Heartbeat)$/, 'SendTaskSuccess/Failure/Heartbeat support no resource-level permissions; the single-use task token is the capability'],
  [
    /^logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$/,
    'the CloudWatch Logs delivery APIs Step Functions logging uses support only Resource *',
  ],
  [/^scheduler:ListSchedules$/, 'ListSchedules has no resource type (the group is a request parameter)'],
];

/** Why a resource pattern is a wildcard (matched against the flattened ARN). */
const PATTERNS: [RegExp, string][] = [
  [
    /:ec2:.+:(instance|volume|network-interface|snapshot)\/\*$/,
    'EC2 assigns instance, volume, interface and snapshot ids at creation; every statement on them carries aws:RequestTag or ec2:ResourceTag gatehouse:managed=true, so only Gatehouse-tagged resources are touched',
  ],
  [/:ec2:.+::image\/\*$/, 'workstation AMIs are resolved at launch from the SSM parameters in the role catalogue (granted by name); an image is only read by RunInstances'],
  [
    /:identitystore:::(user|group|membership)\/\*$/,
    'Identity Store user, group and membership ARNs carry no store id and their ids are assigned by the service; the same statement names the one configured identity store',
  ],
  [
    /:sso:::permissionSet\/ssoins-[0-9a-f]{16}\/\*$/,
    'the catalogue names permission sets by name, whose ARNs Identity Center assigns; scoped to the one configured instance',
  ],
  [
    /:iam::\d{12}:(role\/aws-reserved\/sso\.amazonaws\.com|saml-provider\/AWSSSO_)\*?\/?\*?$/,
    'the IAM role and SAML provider Identity Center creates for a permission set in an assigned account get service-chosen names; scoped as AWSSSOServiceRolePolicy scopes them, to the catalogue accounts',
  ],
  [/:scheduler:.+:schedule\/gatehouse\/\*$/, 'schedule names are derived per employee at run time; scoped to the gatehouse schedule group'],
  [/:states:.+:execution:gatehouse-[a-z0-9-]+:\*$/, 'execution names are HRIS delivery ids, known only at run time; scoped to one Gatehouse state machine'],
  [/:states:.+:execution:gatehouse-[a-z0-9-]+\/\*$/, "a Distributed Map's child executions (`<machine>/<Map label>:<name>`), named by Step Functions at run time; scoped to the children of one Gatehouse state machine"],
  [/^<ConsoleSite[A-Za-z0-9]+\.Arn>\/\*$/, 'the console site bucket holds only the built app: its deployment replaces every file of a build, whose names are content hashes'],
  [/^<[A-Za-z0-9]+\.Arn>:\*$/, 'versions and aliases of the one named function (the L2 schedule target grants both forms)'],
];

/** Renders a CloudFormation value the way cdk-nag names findings (Fn::Join joined, Ref as <X>, GetAtt as <X.Y>). */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (node.Ref !== undefined) return `<${flatten(node.Ref)}>`;
    if (Array.isArray(node['Fn::GetAtt'])) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
  }
  return JSON.stringify(value);
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function reasonForStar(actions: string[], where: string): string {
  const reasons = actions.map((action) => {
    const found = STAR_ONLY.find(([pattern]) => pattern.test(action));
    if (!found) throw new Error(`${where}: ${action} is granted on Resource '*' and infra/constructs/wildcards.ts has no reason for it`);
    return found[1];
  });
  return `Resource * only for actions AWS does not scope: ${[...new Set(reasons)].join('; ')}.`;
}

function acknowledgePolicy(policy: Policy): void {
  const stack = Stack.of(policy);
  const where = policy.node.path;
  const document = stack.resolve(policy.document.toJSON()) as { Statement?: Statement[] } | undefined;
  const starActions: string[] = [];
  const findings = new Map<string, string>();
  for (const statement of document?.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    const wildAction = list(statement.Action).find((action) => action.includes('*'));
    if (wildAction) throw new Error(`${where}: wildcard action ${wildAction} is never allowed in Gatehouse`);
    for (const resource of list(statement.Resource).map(flatten)) {
      if (!resource.includes('*')) continue;
      if (resource === '*') {
        starActions.push(...list(statement.Action));
        continue;
      }
      const reason = PATTERNS.find(([pattern]) => pattern.test(resource))?.[1];
      if (!reason) throw new Error(`${where}: wildcard resource ${resource} has no reason in infra/constructs/wildcards.ts`);
      findings.set(`Resource::${resource}`, reason);
    }
  }
  if (starActions.length > 0) findings.set('Resource::*', reasonForStar(starActions, where));
  for (const [finding, reason] of findings) acknowledge(policy, `AwsSolutions-IAM5[${finding}]`, reason);
}

/** Acknowledges, with its reason, every wildcard resource of every role policy under `scope`. */
export function acknowledgeWildcards(scope: IConstruct): void {
  for (const construct of scope.node.findAll()) {
    if (construct instanceof Policy) acknowledgePolicy(construct);
  }
}
