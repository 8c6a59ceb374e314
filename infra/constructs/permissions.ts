import { ArnFormat, type Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Catalogue } from '../../functions/lib/domain/catalogue/schema.ts';
import { TABLES } from '../spec/tables.ts';
import type { Access, Ec2Action, FunctionSpec, IdentityStoreAction, SsoAction, StatesAction, TableAccess, TableName } from '../spec/functions.ts';
import { SCHEDULE_GROUP_NAME } from '../spec/wiring.ts';
import { executionArnPattern, stateMachineArn } from './names.ts';

/**
 * Turns a function's spec (infra/spec/functions.ts) into the IAM statements of its role.
 * Written by hand per action: each call gets exactly the resources it touches, with tag
 * conditions wherever EC2 supports them. Nothing here grants a wildcard action.
 */

export interface PermissionTargets {
  tables: Record<TableName, ITable>;
  identityStoreArn: string;
  workstation: { subnetId: string; securityGroupId: string; vpcId?: string | undefined };
  /** SSM parameters holding workstation AMI ids (from the role catalogue). */
  amiParameters: string[];
  eventBusArn: string;
  hrisSecretArns: string[];
  slackSecretArn: string;
  senderEmail: string;
  schedulerRoleArn: string;
  /** Account assignments: the Identity Center instance, and the accounts and permission sets the catalogue names. */
  sso: { instanceArn: string; accountIds: string[]; permissionSetArns: string[] };
}

/** Tag every EC2 resource Gatehouse creates carries (functions/lib/adapters/aws/ec2.ts). */
export const MANAGED_TAG = 'gatehouse:managed';
/** Tag reconcile's remove mode puts on an untracked instance before stopping it (functions/lib/adapters/aws/ses-operator-mailer.ts). */
export const REVIEW_TAG = 'gatehouse:review';

const READ = ['GetItem', 'BatchGetItem', 'Query', 'ConditionCheckItem'];
const TABLE_WRITES: Record<TableAccess, string[]> = {
  read: [],
  'read-scan': ['Scan'],
  update: ['UpdateItem'],
  append: ['PutItem'],
  write: ['PutItem', 'UpdateItem'],
  'write-delete': ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
};

function tableStatements(spec: FunctionSpec, tables: PermissionTargets['tables']): PolicyStatement[] {
  return Object.entries(spec.tables ?? {}).flatMap(([name, access]) => {
    const table = tables[name as TableName];
    const indexes = TABLES.find((candidate) => candidate.name === name)?.indexes ?? [];
    const statements = [
      new PolicyStatement({
        actions: READ.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
      }),
    ];
    const writes = TABLE_WRITES[access];
    if (writes.length > 0) statements.push(new PolicyStatement({ actions: writes.map((a) => `dynamodb:${a}`), resources: [table.tableArn] }));
    return statements;
  });
}

type IdentityResource = 'user' | 'group' | 'membership';
const MEMBERSHIP: IdentityResource[] = ['user', 'group', 'membership'];
const IDENTITY_RESOURCES: Record<IdentityStoreAction, IdentityResource[]> = {
  GetUserId: ['user'],
  DescribeUser: ['user'],
  ListUsers: ['user'],
  CreateUser: ['user'],
  UpdateUser: ['user'],
  DeleteUser: ['user'],
  GetGroupId: ['group'],
  ListGroups: ['group'],
  GetGroupMembershipId: MEMBERSHIP,
  ListGroupMemberships: MEMBERSHIP,
  ListGroupMembershipsForMember: MEMBERSHIP,
  CreateGroupMembership: MEMBERSHIP,
  DeleteGroupMembership: MEMBERSHIP,
};

function identityStoreStatement(stack: Stack, actions: readonly IdentityStoreAction[], storeArn: string): PolicyStatement {
  const kinds = [...new Set(actions.flatMap((action) => IDENTITY_RESOURCES[action]))].sort();
  return new PolicyStatement({
    actions: actions.map((action) => `identitystore:${action}`),
    // User, group and membership ARNs carry no store id (arn:aws:identitystore:::user/<id>); the store ARN bounds the call.
    resources: [storeArn, ...kinds.map((kind) => `arn:${stack.partition}:identitystore:::${kind}/*`)],
  });
}

const ec2Arn = (stack: Stack, resource: string, account = stack.account): string =>
  stack.formatArn({ service: 'ec2', resource, account, arnFormat: ArnFormat.SLASH_RESOURCE_NAME, resourceName: '*' });

const requestTagged = { StringEquals: { [`aws:RequestTag/${MANAGED_TAG}`]: 'true' } };
const resourceTagged = { StringEquals: { [`ec2:ResourceTag/${MANAGED_TAG}`]: 'true' } };

function tagOnCreate(stack: Stack, resource: string, createAction: string, account?: string): PolicyStatement {
  return new PolicyStatement({
    actions: ['ec2:CreateTags'],
    resources: [ec2Arn(stack, resource, account)],
    conditions: { StringEquals: { 'ec2:CreateAction': createAction } },
  });
}

function runInstancesStatements(stack: Stack, targets: PermissionTargets): PolicyStatement[] {
  const { subnetId, securityGroupId, vpcId } = targets.workstation;
  const arn = (resource: string, name: string): string =>
    stack.formatArn({ service: 'ec2', resource, resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const inVpc = vpcId ? { StringEquals: { 'ec2:Vpc': arn('vpc', vpcId) } } : undefined;
  const parameterArn = (name: string): string =>
    // AWS's public parameters (/aws/service/...) live in no account.
    stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.slice(1), account: name.startsWith('/aws/') ? '' : stack.account });
  const statements = [
    // The instance itself must be launched with the managed tag.
    new PolicyStatement({ actions: ['ec2:RunInstances'], resources: [ec2Arn(stack, 'instance')], conditions: requestTagged }),
    // Its root volume and any AMI (AWS-owned AMIs have no account in their ARN).
    new PolicyStatement({ actions: ['ec2:RunInstances'], resources: [ec2Arn(stack, 'volume'), ec2Arn(stack, 'image', '')] }),
    // Only the configured subnet and security group, and the interface created in them.
    new PolicyStatement({
      actions: ['ec2:RunInstances'],
      resources: [arn('subnet', subnetId), arn('security-group', securityGroupId), ec2Arn(stack, 'network-interface')],
      ...(inVpc ? { conditions: inVpc } : {}),
    }),
    tagOnCreate(stack, 'instance', 'RunInstances'),
    // The data volume in the block device mapping is tagged at launch too.
    tagOnCreate(stack, 'volume', 'RunInstances'),
  ];
  if (targets.amiParameters.length > 0) {
    // ImageId is resolve:ssm:<parameter>: EC2 reads the parameter as the caller.
    statements.push(new PolicyStatement({ actions: ['ssm:GetParameters'], resources: targets.amiParameters.map(parameterArn) }));
  }
  return statements;
}

function ec2Statements(stack: Stack, actions: readonly Ec2Action[], targets: PermissionTargets): PolicyStatement[] {
  const describe = actions.filter((action) => action.startsWith('Describe'));
  const statements: PolicyStatement[] = [];
  // EC2 Describe* calls support no resource-level permissions: '*' is the only resource they accept.
  if (describe.length > 0) statements.push(new PolicyStatement({ actions: describe.map((a) => `ec2:${a}`), resources: ['*'] }));
  for (const action of actions) {
    switch (action) {
      case 'RunInstances':
        statements.push(...runInstancesStatements(stack, targets));
        break;
      case 'CreateVolume':
        statements.push(
          new PolicyStatement({ actions: ['ec2:CreateVolume'], resources: [ec2Arn(stack, 'volume')], conditions: requestTagged }),
          tagOnCreate(stack, 'volume', 'CreateVolume'),
        );
        break;
      case 'AttachVolume':
      case 'DetachVolume':
        statements.push(
          new PolicyStatement({
            actions: [`ec2:${action}`],
            resources: [ec2Arn(stack, 'instance'), ec2Arn(stack, 'volume')],
            conditions: resourceTagged,
          }),
        );
        break;
      case 'DeleteVolume':
        statements.push(new PolicyStatement({ actions: ['ec2:DeleteVolume'], resources: [ec2Arn(stack, 'volume')], conditions: resourceTagged }));
        break;
      case 'CreateTags':
        // Existing managed instances, and only the review tag (tags on create are granted with their create action).
        statements.push(
          new PolicyStatement({
            actions: ['ec2:CreateTags'],
            resources: [ec2Arn(stack, 'instance')],
            conditions: { ...resourceTagged, 'ForAllValues:StringEquals': { 'aws:TagKeys': [REVIEW_TAG] } },
          }),
        );
        break;
      case 'StopInstances':
      case 'TerminateInstances':
        statements.push(new PolicyStatement({ actions: [`ec2:${action}`], resources: [ec2Arn(stack, 'instance')], conditions: resourceTagged }));
        break;
      case 'CreateSnapshot':
        statements.push(
          new PolicyStatement({ actions: ['ec2:CreateSnapshot'], resources: [ec2Arn(stack, 'volume')], conditions: resourceTagged }),
          new PolicyStatement({ actions: ['ec2:CreateSnapshot'], resources: [ec2Arn(stack, 'snapshot', '')], conditions: requestTagged }),
          tagOnCreate(stack, 'snapshot', 'CreateSnapshot', ''),
        );
        break;
      default:
        break;
    }
  }
  return statements;
}

/**
 * Identity Center's actions, each on the resource types the Service Authorization Reference lists
 * for it (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiamidentitycenter.html):
 * the instance always; permission sets and accounts where the action names them. Permission sets
 * the catalogue names by name have an ARN unknown at synth: the instance's permission sets then.
 * CreateAccountAssignment provisions the permission set as an IAM role (and the SAML provider) in
 * the target account; AWS documents these iam: actions for the caller when that account is the one
 * Identity Center runs in (https://docs.aws.amazon.com/singlesignon/latest/userguide/iam-auth-access-using-id-policies.html),
 * scoped as AWSSSOServiceRolePolicy scopes them: roles under aws-reserved/sso.amazonaws.com/, SAML providers AWSSSO_*.
 */
function ssoStatements(stack: Stack, actions: readonly SsoAction[], sso: PermissionTargets['sso']): PolicyStatement[] {
  const instanceId = sso.instanceArn.split('/').at(-1) ?? '*';
  const permissionSets = sso.permissionSetArns.length > 0 ? sso.permissionSetArns : [`arn:${stack.partition}:sso:::permissionSet/${instanceId}/*`];
  const accounts = sso.accountIds.map((id) => `arn:${stack.partition}:sso:::account/${id}`);
  const sso_ = (list: readonly string[]): string[] => list.map((a) => `sso:${a}`);
  const onInstance = actions.filter((a) => a === 'ListPermissionSets' || a.startsWith('DescribeAccountAssignment'));
  const onSets = actions.filter((a) => a === 'DescribePermissionSet');
  const writes = actions.filter((a) => a === 'CreateAccountAssignment' || a === 'DeleteAccountAssignment');
  const statements: PolicyStatement[] = [];
  if (onInstance.length > 0) statements.push(new PolicyStatement({ actions: sso_(onInstance), resources: [sso.instanceArn] }));
  if (onSets.length > 0) statements.push(new PolicyStatement({ actions: sso_(onSets), resources: [sso.instanceArn, ...permissionSets] }));
  if (actions.includes('ListAccountAssignmentsForPrincipal')) {
    statements.push(new PolicyStatement({ actions: ['sso:ListAccountAssignmentsForPrincipal'], resources: [sso.instanceArn, ...accounts] }));
  }
  if (writes.length > 0 && accounts.length > 0) {
    statements.push(new PolicyStatement({ actions: sso_(writes), resources: [sso.instanceArn, ...permissionSets, ...accounts] }));
    const iam = (resource: string): string[] => sso.accountIds.map((account) => `arn:${stack.partition}:iam::${account}:${resource}`);
    statements.push(
      new PolicyStatement({ actions: ['iam:GetSAMLProvider', 'iam:CreateSAMLProvider'], resources: iam('saml-provider/AWSSSO_*') }),
      new PolicyStatement({
        actions: [
          'iam:GetRole',
          'iam:CreateRole',
          'iam:AttachRolePolicy',
          'iam:PutRolePolicy',
          'iam:ListRolePolicies',
          'iam:ListAttachedRolePolicies',
          ...(writes.includes('DeleteAccountAssignment') ? ['iam:DeleteRole', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy'] : []),
        ],
        resources: iam('role/aws-reserved/sso.amazonaws.com/*'),
      }),
    );
  }
  return statements;
}

function senderIdentityArns(stack: Stack, sender: string): string[] {
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  const identity = (name: string): string => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
  return [identity(sender), identity(domain)];
}

function statesStatements(stack: Stack, actions: readonly StatesAction[], machines: readonly string[]): PolicyStatement[] {
  const onMachine = actions.filter((a) => a === 'StartExecution' || a === 'ListExecutions');
  const onExecution = actions.filter((a) => a === 'StopExecution' || a === 'DescribeExecution' || a === 'GetExecutionHistory');
  const callbacks = actions.filter((a) => a.startsWith('SendTask'));
  const statements: PolicyStatement[] = [];
  const states = (list: string[]): string[] => list.map((a) => `states:${a}`);
  if (onMachine.length > 0) statements.push(new PolicyStatement({ actions: states(onMachine), resources: machines.map((m) => stateMachineArn(stack, m)) }));
  if (onExecution.length > 0) {
    statements.push(new PolicyStatement({ actions: states(onExecution), resources: machines.map((m) => executionArnPattern(stack, m)) }));
  }
  // SendTaskSuccess/Failure/Heartbeat support no resource-level permissions; the task token is the capability.
  if (callbacks.length > 0) statements.push(new PolicyStatement({ actions: states(callbacks), resources: ['*'] }));
  return statements;
}

function accessStatements(stack: Stack, access: Access, targets: PermissionTargets): PolicyStatement[] {
  switch (access.service) {
    case 'identitystore':
      return [identityStoreStatement(stack, access.actions, targets.identityStoreArn)];
    case 'ec2':
      return ec2Statements(stack, access.actions, targets);
    case 'sso':
      return ssoStatements(stack, access.actions, targets.sso);
    case 'ses':
      return [
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: senderIdentityArns(stack, targets.senderEmail),
          conditions: { StringEquals: { 'ses:FromAddress': targets.senderEmail } },
        }),
      ];
    case 'events':
      return [new PolicyStatement({ actions: ['events:PutEvents'], resources: [targets.eventBusArn] })];
    case 'secretsmanager':
      return [new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: access.secret === 'slack' ? [targets.slackSecretArn] : targets.hrisSecretArns })];
    case 'states':
      return statesStatements(stack, access.actions, access.stateMachines);
    case 'scheduler': {
      const list = access.actions.filter((a) => a === 'ListSchedules');
      const onSchedules = access.actions.filter((a) => a !== 'ListSchedules');
      const statements = [
        new PolicyStatement({
          actions: onSchedules.map((a) => `scheduler:${a}`),
          resources: [stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${SCHEDULE_GROUP_NAME}/*` })],
        }),
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [targets.schedulerRoleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ];
      // ListSchedules has no resource type; the group is a request parameter.
      if (list.length > 0) statements.push(new PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] }));
      return statements;
    }
  }
}

/** The accounts and permission-set ARNs the catalogue's account-assignment entitlements name (ARNs only when none is named by name). */
export function accountAssignmentTargets(instanceArn: string, catalogue: Catalogue): PermissionTargets['sso'] {
  const entitlements = catalogue.entitlements.flatMap((e) => (e.kind === 'account-assignment' ? [e] : []));
  const byArn = entitlements.every((e) => e.permissionSet.startsWith('arn:'));
  return {
    instanceArn,
    accountIds: [...new Set(entitlements.flatMap((e) => e.accountIds))].sort(),
    permissionSetArns: byArn ? [...new Set(entitlements.map((e) => e.permissionSet))].sort() : [],
  };
}

/** Every statement a function's role needs for its own calls (logging and tracing are added by the function construct). */
export function functionStatements(stack: Stack, spec: FunctionSpec, targets: PermissionTargets): PolicyStatement[] {
  return [...tableStatements(spec, targets.tables), ...(spec.access ?? []).flatMap((access) => accessStatements(stack, access, targets))];
}

/** The audit table is append-only for every role: fail synth on anything more. */
export function assertAuditAppendOnly(spec: FunctionSpec): void {
  const access = spec.tables?.audit;
  if (access !== undefined && access !== 'read' && access !== 'read-scan' && access !== 'append') {
    throw new Error(`infra/spec/functions.ts: ${spec.name} asks for '${access}' on the audit table; audit is append-only ('read' or 'append')`);
  }
}
