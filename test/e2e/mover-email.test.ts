import { DescribeUserCommand, IdentitystoreClient, ListGroupMembershipsForMemberCommand } from '@aws-sdk/client-identitystore';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { LOCAL_IDENTITY_STORE_ID } from '../../local/function-env.ts';
import { changePayload, hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Issue #14 on the whole local cloud: a mover whose work e-mail changed keeps their one Identity
 * Store user, whose user name and e-mail become the new address; memberships stay (the same
 * membership ids), the employees item holds the new address, the audit says identity.updated.
 */

let e2e: E2eCloud;
let doc: DynamoDBDocumentClient;
const identity = new IdentitystoreClient({});

beforeAll(async () => {
  e2e = await startE2eCloud('mover-email');
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
});

afterAll(async () => {
  doc?.destroy();
  await e2e?.stop();
});

async function hire(id: string, role: string): Promise<void> {
  const posted = await e2e.hris.post(hirePayload({ id, role }), `${id}-hire`);
  if (posted.status !== 202) throw new Error(`hire answered ${posted.status}`);
  const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`joiner ${joiner.status}`);
}

/** A low-risk change (no approver) carrying a new work e-mail. */
async function change(id: string, role: string, email: string) {
  const payload = changePayload({ id, role }) as { data: Record<string, unknown> };
  const posted = await e2e.hris.post({ ...payload, data: { ...payload.data, email } }, `${id}-email`);
  if (posted.status !== 202) throw new Error(`change answered ${posted.status}`);
  return finishedExecution(e2e.sfn, 'mover', `generic-${id}-email`, 60_000);
}

/** Group id -> membership id of the user's memberships. */
async function membershipsOf(userId: string | undefined): Promise<Map<string | undefined, string | undefined>> {
  if (userId === undefined) throw new Error('the user is missing');
  const out = await identity.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, MemberId: { UserId: userId } }));
  return new Map((out.GroupMemberships ?? []).map((membership) => [membership.GroupId, membership.MembershipId]));
}

async function employeeEmail(id: string): Promise<unknown> {
  const { Item } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.EMPLOYEES_TABLE_NAME, Key: { employeeId: id }, ConsistentRead: true }));
  return Item?.email;
}

/** Hire as `fromRole`, change to `toRole` with a new address: one user, renamed; memberships intact. */
async function moveWithNewEmail(expect: ExpectStatic, fromRole: string, toRole: string): Promise<void> {
  const id = employeeId('mve');
  const oldEmail = userNameOf(id);
  const newEmail = `${id.toLowerCase()}.renamed@example.com`;
  await hire(id, fromRole);
  const hired = await accessOf(id, oldEmail);
  const hiredMemberships = await membershipsOf(hired.userId);

  const execution = await change(id, toRole, newEmail);

  expect(execution.status).toBe('SUCCEEDED');
  expect((await accessOf(id, oldEmail)).userId).toBeUndefined();
  const after = await accessOf(id, newEmail);
  expect(after.userId).toBe(hired.userId);
  expect(after.users).toBe(1);
  const user = await identity.send(new DescribeUserCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, UserId: after.userId }));
  expect(user.UserName).toBe(newEmail);
  expect(user.Emails).toEqual([{ Value: newEmail, Type: 'work', Primary: true }]);
  expect(after.groups).toEqual(expectedAccess(toRole).groups);
  // Each membership of a group both roles grant is the one the hire made (same id): nothing was recreated.
  const kept = expectedAccess(fromRole).groups.filter((group) => expectedAccess(toRole).groups.includes(group));
  const afterMemberships = await membershipsOf(after.userId);
  const same = [...hiredMemberships].filter(([groupId, membershipId]) => afterMemberships.get(groupId) === membershipId);
  expect(same).toHaveLength(kept.length);
  expect(await employeeEmail(id)).toBe(newEmail);
  expect(after.auditKinds.filter((kind) => kind === 'identity.updated')).toHaveLength(1);
  expect(after.auditChainOk).toBe(true);
}

describe.concurrent('a mover whose work e-mail changed, on the local cloud', () => {
  it('same role (Record Employee Change): one user, renamed; memberships intact', ({ expect }) => moveWithNewEmail(expect, 'sales', 'sales'), 120_000);

  it('new role (Grant New Role Memberships finds the user by the new address): one user, renamed; memberships intact', ({ expect }) =>
    moveWithNewEmail(expect, 'sales', 'engineer'), 120_000);
});
