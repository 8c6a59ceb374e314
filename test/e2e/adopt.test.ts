import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateGroupMembershipCommand, CreateUserCommand, GetGroupIdCommand, GetUserIdCommand, IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdoptionPlan } from '../../functions/lib/domain/adoption/plan.ts';
import { executionArn, stateMachineArn } from '../../local/core/arn.ts';
import { LOCAL_IDENTITY_STORE_ID } from '../../local/function-env.ts';
import { runAdoptCli } from '../../tools/adopt-cli.ts';
import { sfnAdoptionWorkflow } from '../../tools/adopt-workflow.ts';
import type { CliIo } from '../../tools/cli/errors.ts';
import { finishedJoiner, startE2eCloud, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * `gatehouse adopt` on the whole local cloud (issue #14): the roster read through HiBob's People
 * API from the local HRIS, users and memberships made beforehand in the Identity Store as an
 * existing company has them. The dry run's counts are exactly what was set up; apply adopts
 * without recreating anyone, records grants, hires the person without a user through the real
 * joiner, and a second run plans nothing and changes nothing.
 */
let e2e: E2eCloud;
let dataDir: string;
let env: Record<string, string>;
let doc: DynamoDBDocumentClient;
const identity = new IdentitystoreClient({});
const IdentityStoreId = LOCAL_IDENTITY_STORE_ID;
const users: Record<string, string> = {};

async function groupId(name: string): Promise<string> {
  const out = await identity.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: name } } }));
  return out.GroupId ?? '';
}

async function existingUser(key: string, userName: string, groups: string[], extra: { emails?: string[]; employeeNumber?: string } = {}): Promise<void> {
  const out = await identity.send(
    new CreateUserCommand({
      IdentityStoreId,
      UserName: userName,
      DisplayName: key,
      Name: { GivenName: key, FamilyName: 'Existing' },
      Emails: (extra.emails ?? [userName]).map((Value) => ({ Value, Type: 'work' })),
      ...(extra.employeeNumber ? { Extensions: { 'aws:identitystore:enterprise': { employeeNumber: extra.employeeNumber } } } : {}),
    }),
  );
  users[key] = out.UserId ?? '';
  for (const group of groups) await identity.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: await groupId(group), MemberId: { UserId: users[key] } }));
}

const hrisPerson = (id: string, email: string, role: string, status: 'active' | 'terminated' = 'active') => ({
  id, email, firstName: 'Pat', lastName: id, title: 'Account Executive', gatehouseRole: role, employmentType: 'employee', startDate: '2024-02-01', status,
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function adopt(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const run = capture();
  const code = await runAdoptCli(['--hris', 'hibob', '--local', ...args], run.io, { env, cwd: dataDir, pollMs: 100 });
  return { code, out: run.out(), err: run.err() };
}

const adoptionExecutions = async (): Promise<string[]> =>
  ((await e2e.sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('adoption') }))).executions ?? []).map((e) => e.name ?? '');

const countUsers = async (): Promise<number> => (await identity.send(new ListUsersCommand({ IdentityStoreId, MaxResults: 100 }))).Users?.length ?? 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-adopt-'));
  e2e = await startE2eCloud('adopt', { dataDir });
  env = { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_TABLE_PREFIX: (e2e.cloud.env.AUDIT_TABLE_NAME ?? '').replace(/audit$/, '') };
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const people = e2e.cloud.hris.people;
  // The seeded HiBob people left before Gatehouse came (no users): adoption passes them by.
  for (const seeded of people.list('hibob')) people.put('hibob', { ...seeded, status: 'terminated', terminationDate: '2025-12-31' });
  people.put('hibob', hrisPerson('A1', 'adam.one@example.com', 'engineer'));
  people.put('hibob', hrisPerson('A2', 'a2.new@example.com', 'sales'));
  people.put('hibob', hrisPerson('A3', 'a3@example.com', 'sales'));
  people.put('hibob', hrisPerson('A4', 'a4@example.com', 'engineer', 'terminated'));
  people.put('hibob', hrisPerson('A5', 'amb@example.com', 'sales'));
  await existingUser('A1', 'Adam.One@Example.com', ['AllStaff', 'Engineering', 'Finance']);
  await existingUser('A2', 'a2.old@example.com', ['AllStaff', 'Sales'], { employeeNumber: 'A2' });
  await existingUser('A4', 'a4@example.com', ['AllStaff']);
  await existingUser('amb1', 'amb@example.com', []);
  await existingUser('amb2', 'amb.alt@example.com', [], { emails: ['AMB@example.com'] });
  await existingUser('orphan', 'left-in-2019@example.com', ['Engineering']);
}, 120_000);

afterAll(async () => {
  doc?.destroy();
  identity.destroy();
  await e2e?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('gatehouse adopt on the local cloud', () => {
  it('plans exactly what exists, applies it once, and a second run changes nothing', { timeout: 120_000 }, async () => {
    const dry = await adopt('--json');
    expect(dry.code, dry.err).toBe(0);
    const plan = JSON.parse(dry.out) as AdoptionPlan;
    expect(plan.counts).toEqual({ adopt: 2, create: 1, grants: 4, missing: 2, extras: 1, undecided: 0, terminated: 1, ambiguous: 1, invalid: 0, orphans: 1, managed: 0 });
    expect(plan.adopt.map((a) => [a.employeeId, a.userId, a.matchedBy])).toEqual([['A1', users.A1, 'email'], ['A2', users.A2, 'employee-number']]);
    expect(plan.ambiguous[0]).toMatchObject({ employeeIds: ['A5'], userIds: [users.amb1, users.amb2] });
    expect(plan.orphans).toEqual([{ userId: users.orphan, userName: 'left-in-2019@example.com' }]);
    expect(plan.terminated).toEqual([{ employeeId: 'A4', userId: users.A4 }]);
    expect(await countUsers()).toBe(6);

    const applied = await adopt('--apply', '--confirm', plan.fingerprint, '--as', 'ops@example.com');
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toContain('applied: 2 adopted, 4 grants recorded, 1 hires sent to the joiner, 0 extra memberships removed');
    expect(applied.out).toContain('reported, not acted on: 1 extra memberships, 1 users matching nobody, 1 ambiguous, 0 undecided, 1 terminated');
    expect(applied.err).toMatch(/\[#{20}\] 2\/2 batches/);
    // Run by the adoption workflow, one execution named after the plan; applying it again starts nothing.
    const execution = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('adoption', `adopt-${plan.fingerprint}`) }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({ people: 3, batches: 2, counts: { adopted: 2, grantsRecorded: 4, hiresSent: 1, extrasRevoked: 0 } });
    const startedAgain = await sfnAdoptionWorkflow(e2e.sfn, doc, `${env.GATEHOUSE_TABLE_PREFIX}adoptions`, () => 0).start(`adopt-${plan.fingerprint}`);
    expect(startedAgain).toBe(execution.executionArn);
    expect(await adoptionExecutions()).toEqual([`adopt-${plan.fingerprint}`]);

    const joiner = await finishedJoiner(e2e.sfn, 'adopt-A3', 60_000);
    expect(joiner.status).toBe('SUCCEEDED');
    const a3 = await identity.send(new GetUserIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'a3@example.com' } } }));
    expect(a3.UserId).toBeDefined();
    expect(await countUsers()).toBe(7); // A3 created; nobody adopted was recreated

    const { Item: a1 } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.EMPLOYEES_TABLE_NAME, Key: { employeeId: 'A1' }, ConsistentRead: true }));
    expect(a1).toMatchObject({ status: 'active', role: 'engineer', identityUserId: users.A1, source: 'hibob' });
    expect(a1?.identityUserCreatedBy).toBeUndefined();
    const grants = await doc.send(new QueryCommand({ TableName: e2e.cloud.env.GRANTS_TABLE_NAME, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': 'A1' }, ConsistentRead: true }));
    expect((grants.Items ?? []).map((item) => String(item.entitlementId)).sort()).toEqual(['group:AllStaff', 'group:Engineering']);
    const audit = await doc.send(new QueryCommand({ TableName: e2e.cloud.env.AUDIT_TABLE_NAME, KeyConditionExpression: 'subject = :s', ExpressionAttributeValues: { ':s': 'A1' }, ConsistentRead: true }));
    expect((audit.Items ?? []).map((item) => String(item.kind))).toEqual(['grant.applied', 'grant.applied', 'identity.adopted']);
    expect((audit.Items ?? []).at(-1)).toMatchObject({ actor: 'operator:ops@example.com', detail: { userId: users.A1, matchedBy: 'email', fingerprint: plan.fingerprint } });

    const second = await adopt('--json');
    const replanned = JSON.parse(second.out) as AdoptionPlan;
    expect(replanned.counts).toMatchObject({ adopt: 0, create: 0, managed: 3, orphans: 1, ambiguous: 1, terminated: 1 });
    const again = await adopt('--apply', '--confirm', replanned.fingerprint);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('applied: 0 adopted, 0 grants recorded, 0 hires sent to the joiner');
    expect(await countUsers()).toBe(7);
  });
});
