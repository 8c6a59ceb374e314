import { z } from 'zod';
import { validationError } from '../core/aws-error.ts';
import { stateFile, type Emulator, type EmulatorContext } from '../core/emulator.ts';
import { paginate } from '../core/pagination.ts';
import { awsJsonService, type Operation } from '../core/protocols.ts';
import { JsonStore } from '../core/store.ts';
import { parseInput } from './input.ts';
import { emptySsoAdminData, notFound, SsoAdminModel, type AsyncRequest, type Assignment } from './sso-admin-model.ts';

/**
 * IAM Identity Center's admin API (`sso-admin`, awsJson 1.1, `SWBExternalService.<Op>`): the
 * account-assignment operations Gatehouse calls, with AWS's error codes, input patterns, the
 * limit of 15 outstanding asynchronous writes, a configurable IN_PROGRESS delay, FAILED by fault
 * rule (`sso-admin:CreateAccountAssignment:fail=1`), and state in `sso-admin.json`.
 * Patterns and members: https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html
 */

export interface SsoAdminOptions {
  /** The one Identity Center instance, e.g. `arn:aws:sso:::instance/ssoins-0123456789abcdef`. */
  instanceArn: string;
  identityStoreId: string;
  /** Permission sets that exist at boot (by name; created once, kept across restarts). */
  permissionSets: readonly string[];
  /** How long an assignment request stays IN_PROGRESS (ms). */
  delayMs: number;
  now?: () => number;
}

// Patterns of the API reference (InstanceArn, PermissionSetArn, PrincipalId, TargetId).
const instanceArn = z.string().regex(/^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/, 'must be an instance ARN');
const permissionSetArn = z
  .string()
  .regex(/^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/, 'must be a permission set ARN');
const principalId = z.string().regex(/^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/, 'must be an Identity Store user or group id');
const principalType = z.enum(['USER', 'GROUP']);
const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');
const page = { MaxResults: z.int().min(1).max(100).optional(), NextToken: z.string().max(2048).optional() };
const requestId = z.string().regex(/^\b[0-9a-f]{8}\b-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-\b[0-9a-f]{12}\b$/, 'must be a request id');

const assignmentRequest = z.object({
  InstanceArn: instanceArn,
  TargetId: accountId,
  TargetType: z.literal('AWS_ACCOUNT'),
  PermissionSetArn: permissionSetArn,
  PrincipalType: principalType,
  PrincipalId: principalId,
});
const schemas = {
  assignment: assignmentRequest,
  creationStatus: z.object({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: requestId }),
  deletionStatus: z.object({ InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: requestId }),
  listAssignments: z.object({ InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: permissionSetArn, ...page }),
  listForPrincipal: z.object({
    InstanceArn: instanceArn,
    PrincipalId: principalId,
    PrincipalType: principalType,
    Filter: z.object({ AccountId: accountId.optional() }).optional(),
    ...page,
  }),
  listPermissionSets: z.object({ InstanceArn: instanceArn, ...page }),
  describePermissionSet: z.object({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn }),
  listInstances: z.object({ ...page }),
};

/** A request's status as Describe/Create/Delete answer it. */
function statusView(request: AsyncRequest) {
  return {
    Status: request.Status,
    RequestId: request.RequestId,
    ...(request.Status === 'FAILED' && request.FailureReason ? { FailureReason: request.FailureReason } : {}),
    TargetId: request.AccountId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: request.PermissionSetArn,
    PrincipalType: request.PrincipalType,
    PrincipalId: request.PrincipalId,
    CreatedDate: Math.floor(request.startedAt / 1000),
  };
}

const target = (i: z.output<typeof assignmentRequest>): Assignment => ({
  AccountId: i.TargetId,
  PermissionSetArn: i.PermissionSetArn,
  PrincipalType: i.PrincipalType,
  PrincipalId: i.PrincipalId,
});

export function createSsoAdminEmulator(ctx: EmulatorContext, options: SsoAdminOptions): Emulator {
  if (!Number.isFinite(options.delayMs) || options.delayMs < 0) throw new Error(`sso-admin emulator: delayMs must be a non-negative number, got ${options.delayMs}`);
  const now = options.now ?? Date.now;
  const store = new JsonStore(stateFile(ctx, 'sso-admin'), emptySsoAdminData);
  const model = new SsoAdminModel(store.data, options.instanceArn, options.delayMs);
  for (const name of options.permissionSets) model.ensurePermissionSet(name);
  store.save();

  const pageOf = <T>(scope: string, items: T[], i: { MaxResults?: number | undefined; NextToken?: string | undefined }) =>
    paginate(items, { scope, maxResults: i.MaxResults, nextToken: i.NextToken, invalidToken: () => validationError('NextToken is invalid') });

  /** Validates, checks the instance, settles due requests, runs, saves. */
  const op =
    <S extends z.ZodType>(schema: S, run: (input: z.output<S>) => unknown, { mutates = false, instance = true } = {}): Operation =>
    (raw) => {
      const input = parseInput(schema, raw) as z.output<S> & { InstanceArn?: string };
      if (instance && input.InstanceArn !== options.instanceArn) throw notFound(`Could not find Identity Center instance ${String(input.InstanceArn)}`);
      const settled = model.settle(now());
      try {
        return run(input);
      } finally {
        if (settled || mutates) store.save();
      }
    };

  const handler = awsJsonService({
    service: 'sso-admin',
    targetPrefix: 'SWBExternalService',
    jsonVersion: '1.1',
    faults: ctx.faults,
    operations: {
      CreateAccountAssignment: op(schemas.assignment, (i) => {
        const failure = ctx.faults.shouldFail('sso-admin', 'CreateAccountAssignment') ? 'Request failed (injected by the local cloud)' : undefined;
        return { AccountAssignmentCreationStatus: statusView(model.start('create', target(i), now(), failure)) };
      }, { mutates: true }),
      DeleteAccountAssignment: op(schemas.assignment, (i) => {
        const failure = ctx.faults.shouldFail('sso-admin', 'DeleteAccountAssignment') ? 'Request failed (injected by the local cloud)' : undefined;
        return { AccountAssignmentDeletionStatus: statusView(model.start('delete', target(i), now(), failure)) };
      }, { mutates: true }),
      DescribeAccountAssignmentCreationStatus: op(schemas.creationStatus, (i) => ({
        AccountAssignmentCreationStatus: statusView(model.request('create', i.AccountAssignmentCreationRequestId)),
      })),
      DescribeAccountAssignmentDeletionStatus: op(schemas.deletionStatus, (i) => ({
        AccountAssignmentDeletionStatus: statusView(model.request('delete', i.AccountAssignmentDeletionRequestId)),
      })),
      ListAccountAssignments: op(schemas.listAssignments, (i) => {
        const { items, nextToken } = pageOf(`ListAccountAssignments:${i.AccountId}:${i.PermissionSetArn}`, model.assignmentsOn(i.AccountId, i.PermissionSetArn), i);
        return { AccountAssignments: items, NextToken: nextToken };
      }),
      ListAccountAssignmentsForPrincipal: op(schemas.listForPrincipal, (i) => {
        const all = model.assignmentsOf(i.PrincipalType, i.PrincipalId, i.Filter?.AccountId);
        const { items, nextToken } = pageOf(`ListAccountAssignmentsForPrincipal:${i.PrincipalId}`, all, i);
        return { AccountAssignments: items, NextToken: nextToken };
      }),
      ListPermissionSets: op(schemas.listPermissionSets, (i) => {
        const { items, nextToken } = pageOf('ListPermissionSets', model.permissionSetArns(), i);
        return { PermissionSets: items, NextToken: nextToken };
      }),
      DescribePermissionSet: op(schemas.describePermissionSet, (i) => ({ PermissionSet: model.permissionSet(i.PermissionSetArn) })),
      ListInstances: op(
        schemas.listInstances,
        () => ({ Instances: [{ InstanceArn: options.instanceArn, IdentityStoreId: options.identityStoreId, Status: 'ACTIVE', Name: 'gatehouse-local' }] }),
        { instance: false },
      ),
    },
  });

  return { service: 'sso-admin', handler };
}
