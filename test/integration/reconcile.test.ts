import { RunInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateGroupCommand, CreateGroupMembershipCommand, CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '#lib/audit/audit-store';
import type { Finding } from '#lib/reconcile/reconcile';
import { createEc2Emulator } from '../../local/emulators/ec2.ts';
import { createIdentityStoreEmulator } from '../../local/emulators/identitystore.ts';
import { FaultInjector } from '../../local/core/faults.ts';
import { LOCAL_IDENTITY_STORE_ID, localFunctionEnv } from '../../local/function-env.ts';
import { localTableSpecs } from '../../local/tables.ts';
import { createTestTables } from '../support/dynamodb.ts';
import { clientConfig, serve } from '../support/emulator.ts';
import { invoke } from '../support/lambda.ts';

/**
 * Reconciliation in report mode against the Identity Store and EC2 emulators and DynamoDB
 * Local: a planted orphan user, unexpected membership and untracked instance are exactly
 * what it finds, each recorded once as a `reconciliation.finding` audit entry.
 */

// ---- the local cloud for this file ---------------------------------------------------------

const faults = new FaultInjector([], Math.random);
const identityUrl = await serve(createIdentityStoreEmulator({ faults }, { identityStoreIds: [LOCAL_IDENTITY_STORE_ID] }));
const ec2Url = await serve(createEc2Emulator({ faults }, { pendingMs: 10 }));
const specOf = (name: string) => {
  const spec = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' }).find((candidate) => candidate.create.TableName === name);
  if (!spec) throw new Error(`no ${name} table in infra/spec/tables.ts`);
  return spec;
};
const tables = await createTestTables('reconcile', { employees: specOf('employees'), grants: specOf('grants'), audit: specOf('audit') });
afterAll(() => tables.drop());

// Clients and config load at import: the environment must be complete before the handler is imported.
Object.assign(process.env, localFunctionEnv({ tablePrefix: tables.prefix, frontDoorUrl: 'http://127.0.0.1:1' }), {
  AWS_ENDPOINT_URL_IDENTITYSTORE: identityUrl,
  AWS_ENDPOINT_URL_EC2: ec2Url,
  AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
});
const { handler: reconcile } = await import('../../functions/reconcile/handler.ts');

const STORE = LOCAL_IDENTITY_STORE_ID;
const identityStore = new IdentitystoreClient(clientConfig(identityUrl));
const ec2 = new EC2Client(clientConfig(ec2Url));
const doc = DynamoDBDocumentClient.from(tables.client);
const audit = createAuditStore({ client: tables.client, tableName: tables.names.audit, clock: { now: () => new Date() } });

// ---- fixtures ----------------------------------------------------------------------------------

const ENGINEER = ['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'];

async function anEmployee(employeeId: string, status: 'active' | 'left', entitlements: string[] = []): Promise<string> {
  const email = `${employeeId.toLowerCase()}@example.com`;
  await doc.send(new PutCommand({ TableName: tables.names.employees, Item: { employeeId, email, status, role: 'engineer' } }));
  for (const entitlementId of entitlements) {
    await doc.send(
      new PutCommand({
        TableName: tables.names.grants,
        Item: { employeeId, grantKey: `${entitlementId}#role#engineer`, entitlementId, source: 'role:engineer', status: 'active' },
      }),
    );
  }
  return email;
}

async function aUser(userName: string, groups: string[]): Promise<{ userId: string; memberships: Map<string, string> }> {
  const user = await identityStore.send(new CreateUserCommand({ IdentityStoreId: STORE, UserName: userName, DisplayName: 'Test User', Name: { GivenName: 'Test', FamilyName: 'User' } }));
  const userId = user.UserId ?? '';
  const memberships = new Map<string, string>();
  for (const group of groups) {
    const out = await identityStore.send(
      new CreateGroupMembershipCommand({ IdentityStoreId: STORE, GroupId: groupIds.get(group) ?? '', MemberId: { UserId: userId } }),
    );
    memberships.set(group, out.MembershipId ?? '');
  }
  return { userId, memberships };
}

async function aManagedInstance(employeeId: string): Promise<string> {
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0123456789abcdef0',
      InstanceType: 'm7g.large',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            { Key: 'gatehouse:managed', Value: 'true' },
            { Key: 'gatehouse:employee-id', Value: employeeId },
            { Key: 'gatehouse:entitlement-id', Value: 'workstation:dev-arm' },
          ],
        },
      ],
    }),
  );
  return out.Instances?.[0]?.InstanceId ?? '';
}

// Groups are the administrators' job; Printers is not in the catalogue, so nobody's membership of it is reconciled.
const groupIds = new Map<string, string>();
for (const displayName of ['AllStaff', 'Engineering', 'ProdReadOnly', 'ProdAdmin', 'Printers']) {
  const out = await identityStore.send(new CreateGroupCommand({ IdentityStoreId: STORE, DisplayName: displayName }));
  groupIds.set(displayName, out.GroupId ?? '');
}

// ---- the test ----------------------------------------------------------------------------------

describe('reconcile (report mode)', () => {
  it('finds exactly the planted orphan user, unexpected membership and untracked instance, and audits each once', async () => {
    // Arrange: an engineer with everything granted in place, plus ProdAdmin nobody granted;
    // a leaver whose user is still there; an instance tagged for the leaver.
    const activeEmail = await anEmployee('E100', 'active', ENGINEER);
    const leaverEmail = await anEmployee('E200', 'left');
    const active = await aUser(activeEmail, ['AllStaff', 'Engineering', 'ProdReadOnly', 'ProdAdmin', 'Printers']);
    const orphan = await aUser(leaverEmail, ['AllStaff']);
    await aManagedInstance('E100');
    const untracked = await aManagedInstance('E200');

    // Act
    const result = await invoke(reconcile, {});

    // Assert
    const expected: Finding[] = [
      { kind: 'orphan-user', employeeId: 'E200', userId: orphan.userId, why: 'left' },
      { kind: 'unexpected-membership', employeeId: 'E100', userId: active.userId, membershipId: active.memberships.get('ProdAdmin') ?? '', entitlementId: 'group:ProdAdmin' },
      { kind: 'untracked-instance', employeeId: 'E200', resourceId: untracked, entitlementId: 'workstation:dev-arm' },
    ];
    expect(result.findings).toEqual(expect.arrayContaining(expected));
    expect(result.findings).toHaveLength(3);
    // One orphan of two users is over the 10 % share: the plan removes nothing and says why.
    expect(result.plan).toMatchObject({ outcome: 'blocked', reason: 'over-share', userIds: [] });

    const entries = [...(await audit.listBySubject('E100')), ...(await audit.listBySubject('E200'))];
    expect(entries.map((entry) => [entry.subject, entry.kind, entry.detail])).toEqual(
      expect.arrayContaining([
        ['E100', 'reconciliation.finding', { finding: 'unexpected-grant', action: 'flagged', resourceId: active.memberships.get('ProdAdmin') }],
        ['E200', 'reconciliation.finding', { finding: 'stale-grant', action: 'flagged', resourceId: orphan.userId }],
        ['E200', 'reconciliation.finding', { finding: 'resource-drift', action: 'flagged', resourceId: untracked }],
      ]),
    );
    expect(entries).toHaveLength(3);

    // A second run the same day records nothing new.
    await invoke(reconcile, {});
    expect([...(await audit.listBySubject('E100')), ...(await audit.listBySubject('E200'))]).toHaveLength(3);
  });
});
