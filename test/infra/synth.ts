import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { createGatehouseApp, REPO_ROOT } from '../../infra/gatehouse.ts';

/** cdk.json's context (feature flags and defaults), which the CLI would pass. */
export const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** Context a real deployment would pass: no placeholders. */
export const DEPLOY_CONTEXT = {
  account: '123456789012',
  region: 'eu-west-1',
  identityStoreId: 'd-1234567890',
  identityCenterInstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  senderEmail: 'gatehouse@corp.example.com',
  operatorEmail: 'it-ops@corp.example.com',
  workstationVpcId: 'vpc-0a1b2c3d4e5f60718',
  workstationSubnetId: 'subnet-0a1b2c3d4e5f60718',
  workstationSecurityGroupId: 'sg-0a1b2c3d4e5f60718',
  oidcIssuer: 'https://corp.okta.example.com/oauth2/aus1gatehouse',
  oidcAudience: 'api://gatehouse',
} as const;

export interface Synthesised {
  template: Template;
  resources: Record<string, CfnResource>;
  /** The nested stack of alarms and the operator topic. */
  monitoring: { template: Template; resources: Record<string, CfnResource>; parameters: Record<string, unknown> };
  outdir: string;
  /** Milliseconds for construct + synth (bundling skipped). */
  elapsedMs: number;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: unknown;
}

/**
 * Synthesises the real app once, with asset bundling skipped through CDK's standard
 * `aws:cdk:bundling-stacks` = [] context (the template is otherwise what `cdk synth` writes).
 */
export function synthGatehouse(context: Record<string, unknown> = DEPLOY_CONTEXT, root = REPO_ROOT): Synthesised {
  const started = Date.now();
  const outdir = mkdtempSync(join(tmpdir(), 'gatehouse-cdk-'));
  const { app, stack } = createGatehouseApp({ context: { ...CDK_JSON_CONTEXT, ...context }, skipBundling: true, outdir, root });
  const template = Template.fromStack(stack);
  app.synth();
  const resources = (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
  const monitoringTemplate = Template.fromStack(stack.monitoring);
  const nested = monitoringTemplate.toJSON() as { Resources: Record<string, CfnResource>; Parameters?: Record<string, unknown> };
  const monitoring = { template: monitoringTemplate, resources: nested.Resources, parameters: nested.Parameters ?? {} };
  return { template, resources, monitoring, outdir, elapsedMs: Date.now() - started };
}

export const readAsl = (name: string): string => readFileSync(join(REPO_ROOT, 'statemachines', `${name}.asl.json`), 'utf8');

/** Resources of one type, by logical id. */
export function ofType(resources: Record<string, CfnResource>, type: string): [string, CfnResource][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

/** The logical id a `{ Fn::GetAtt: [id, attr] }` or `{ Ref: id }` points at. */
export function referencedId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::GetAtt'])) return String(node['Fn::GetAtt'][0]);
    if (typeof node.Ref === 'string') return node.Ref;
  }
  return undefined;
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

interface PolicyDocument {
  Statement: PolicyStatement[];
}

/** Every statement of every AWS::IAM::Policy and every role's inline policies, with the role(s) it applies to. */
export function policyStatements(resources: Record<string, CfnResource>): { roles: string[]; statement: PolicyStatement }[] {
  const attached = ofType(resources, 'AWS::IAM::Policy').flatMap(([, policy]) => {
    const props = policy.Properties as { PolicyDocument: PolicyDocument; Roles?: unknown[] };
    const roles = (props.Roles ?? []).map((role) => referencedId(role) ?? String(role));
    return props.PolicyDocument.Statement.map((statement) => ({ roles, statement }));
  });
  const inline = ofType(resources, 'AWS::IAM::Role').flatMap(([id, role]) => {
    const policies = (role.Properties?.Policies ?? []) as { PolicyDocument: PolicyDocument }[];
    return policies.flatMap((policy) => policy.PolicyDocument.Statement.map((statement) => ({ roles: [id], statement })));
  });
  return [...attached, ...inline];
}
