import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListPermissionSetsCommand,
  type SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { PERMISSION_SET_ARN } from '../../domain/catalogue/schema.ts';
import type { AccountAssignmentsPort } from '../../domain/account-assignments/ports.ts';
import type { AssignmentTarget } from '../../domain/account-assignments/targets.ts';
import type { HeldAssignment } from '../../domain/reconcile/reconcile.ts';
import { ConfigError, TransientError } from '../../domain/shared/errors.ts';
import { awsErrorName, callAws, isAwsError } from './call-aws.ts';
import { allPages } from './pages.ts';

/**
 * IAM Identity Center account assignments (sso-admin): permission sets found by name once per
 * container, assignments to a USER principal on an AWS_ACCOUNT target, and their asynchronous
 * request status. ConflictException (an operation on the same assignment is in progress) and
 * throttling (the API rate, or the limit of 15 outstanding asynchronous writes) are `busy`:
 * the loop starts the operation again on its next turn instead of failing the workflow.
 */
export function createAccountAssignments(client: SSOAdminClient, instanceArn: string): AccountAssignmentsPort {
  let byName: Promise<Map<string, string>> | undefined;

  const permissionSetsByName = async (): Promise<Map<string, string>> => {
    const arns = await allPages(async (token) => {
      const out = await callAws('ListPermissionSets', () => client.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn, NextToken: token })));
      return { items: out.PermissionSets ?? [], next: out.NextToken };
    });
    const named = new Map<string, string>();
    for (const arn of arns) {
      const out = await callAws('DescribePermissionSet', () => client.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })));
      if (out.PermissionSet?.Name) named.set(out.PermissionSet.Name, arn);
    }
    return named;
  };

  const arnOf = async (permissionSet: string): Promise<string> => {
    if (PERMISSION_SET_ARN.test(permissionSet)) return permissionSet;
    byName ??= permissionSetsByName().catch((error: unknown) => {
      byName = undefined;
      throw error;
    });
    let arn = (await byName).get(permissionSet);
    if (!arn) {
      byName = undefined; // created since this container started?
      arn = (await (byName = permissionSetsByName())).get(permissionSet);
    }
    if (!arn) throw new ConfigError(`permission set '${permissionSet}' does not exist in Identity Center instance ${instanceArn}`);
    return arn;
  };

  const request = async (userId: string, target: AssignmentTarget) => ({
    InstanceArn: instanceArn,
    TargetId: target.accountId,
    TargetType: 'AWS_ACCOUNT' as const,
    PermissionSetArn: await arnOf(target.permissionSet),
    PrincipalType: 'USER' as const,
    PrincipalId: userId,
  });

  return {
    async isAssigned(userId, target) {
      const PermissionSetArn = await arnOf(target.permissionSet);
      const assignments = await allPages(async (token) => {
        const out = await callAws('ListAccountAssignmentsForPrincipal', () =>
          client.send(
            new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalType: 'USER', PrincipalId: userId, Filter: { AccountId: target.accountId }, NextToken: token }),
          ),
        );
        return { items: out.AccountAssignments ?? [], next: out.NextToken };
      });
      return assignments.some((a) => a.AccountId === target.accountId && a.PermissionSetArn === PermissionSetArn);
    },

    heldBy: (userId) => heldByUser(client, instanceArn, userId),

    async start(action, userId, target) {
      const input = await request(userId, target);
      try {
        if (action === 'create') {
          const out = await callAws('CreateAccountAssignment', () => client.send(new CreateAccountAssignmentCommand(input)));
          return { requestId: out.AccountAssignmentCreationStatus?.RequestId ?? '' };
        }
        const out = await callAws('DeleteAccountAssignment', () => client.send(new DeleteAccountAssignmentCommand(input)));
        return { requestId: out.AccountAssignmentDeletionStatus?.RequestId ?? '' };
      } catch (error) {
        // Throttled (callAws made it a TransientError, the SDK error its cause) or another operation in flight: busy, under AWS's name.
        if (error instanceof TransientError) return { busy: awsErrorName(error.cause) ?? 'busy' };
        if (isAwsError(error, 'ConflictException')) return { busy: 'ConflictException' };
        throw error;
      }
    },

    async status(action, requestId) {
      const out =
        action === 'create'
          ? (
              await callAws('DescribeAccountAssignmentCreationStatus', () =>
                client.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: requestId })),
              )
            ).AccountAssignmentCreationStatus
          : (
              await callAws('DescribeAccountAssignmentDeletionStatus', () =>
                client.send(new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: requestId })),
              )
            ).AccountAssignmentDeletionStatus;
      const status = out?.Status ?? 'IN_PROGRESS';
      return { status, ...(out?.FailureReason ? { failureReason: out.FailureReason } : {}) };
    },
  };
}

/** Every assignment a user holds, on any account, every page. */
async function heldByUser(client: SSOAdminClient, instanceArn: string, userId: string): Promise<{ accountId: string; permissionSetArn: string }[]> {
  const assignments = await allPages(async (token) => {
    const out = await callAws('ListAccountAssignmentsForPrincipal', () =>
      client.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalType: 'USER', PrincipalId: userId, NextToken: token })),
    );
    return { items: out.AccountAssignments ?? [], next: out.NextToken };
  });
  return assignments.flatMap((a) => (a.AccountId && a.PermissionSetArn ? [{ accountId: a.AccountId, permissionSetArn: a.PermissionSetArn }] : []));
}

/**
 * Reconciliation's read of account assignments: what each user holds, with the permission set's
 * name (DescribePermissionSet, once per permission set per run) so a catalogue naming it either way matches.
 */
export function createAssignmentReader(client: SSOAdminClient, instanceArn: string) {
  const names = new Map<string, Promise<string | undefined>>();
  const nameOf = (arn: string): Promise<string | undefined> => {
    let name = names.get(arn);
    if (!name) {
      name = callAws('DescribePermissionSet', () => client.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }))).then((out) => out.PermissionSet?.Name);
      names.set(arn, name);
    }
    return name;
  };
  return {
    async heldBy(userId: string): Promise<HeldAssignment[]> {
      const held = await heldByUser(client, instanceArn, userId);
      return Promise.all(held.map(async (assignment) => ({ ...assignment, ...(await nameOf(assignment.permissionSetArn).then((permissionSetName) => (permissionSetName ? { permissionSetName } : {}))) })));
    },
  };
}
