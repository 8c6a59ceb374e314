import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { executionArn, stateMachineArn } from '../../local/core/arn.ts';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { changePayload, hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * The mover on the whole local cloud: a chain of role changes ends with exactly the last role's
 * access (Identity Store, EC2, grants table), each dropped entitlement audited; a kept
 * workstation is not relaunched; a denied move changes nothing; a second run changes nothing.
 */

const MANAGER = 'dana.lead@example.com';
let e2e: E2eCloud;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  e2e = await startE2eCloud('mover');
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
});

afterAll(async () => {
  doc?.destroy();
  await e2e?.stop();
});

const finishedMover = (name: string, timeoutMs = 60_000) => finishedExecution(e2e.sfn, 'mover', name, timeoutMs);
const live = (instances: { id: string; state: string }[]) => instances.filter((instance) => instance.state !== 'terminated');

async function hire(id: string, role: string): Promise<void> {
  const posted = await e2e.hris.post(hirePayload({ id, role, managerEmail: MANAGER }), `${id}-hire`);
  if (posted.status !== 202) throw new Error(`hire answered ${posted.status}`);
  const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`joiner ${joiner.status}`);
}

/** Posts the change and answers each approver in turn (none for a low-risk move). */
async function move(id: string, role: string, step: string, approvers: string[] = [], decision: 'approve' | 'deny' = 'approve') {
  const posted = await e2e.hris.post(changePayload({ id, role, managerEmail: MANAGER }), `${id}-${step}`);
  if (posted.status !== 202) throw new Error(`change answered ${posted.status}`);
  for (const approver of approvers) {
    const link = await approvalLink(e2e.cloud.endpoints.ses, approver, id);
    const decided = await decide(link, decision, decision === 'deny' ? 'Not this role for now' : '');
    if (decided.decisionStatus !== 303) throw new Error(`${approver} could not decide (${decided.pageStatus}/${decided.decisionStatus})`);
    if (decision === 'deny') break;
  }
  return finishedMover(`generic-${id}-${step}`);
}

interface GrantRow {
  grantKey: string;
  entitlementId: string;
  source: string;
  status: string;
  instanceId?: string;
  revokedBy?: string;
  catalogueVersion?: string;
}

async function grantsOf(id: string): Promise<GrantRow[]> {
  const out = await doc.send(new QueryCommand({ TableName: e2e.cloud.env.GRANTS_TABLE_NAME, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': id }, ConsistentRead: true }));
  return (out.Items ?? []) as GrantRow[];
}

async function roleOf(id: string): Promise<unknown> {
  const { Item } = await doc.send(new GetCommand({ TableName: e2e.cloud.env.EMPLOYEES_TABLE_NAME, Key: { employeeId: id }, ConsistentRead: true }));
  return Item?.role;
}

const active = (grants: GrantRow[]) => grants.filter((grant) => grant.status === 'active');

describe.concurrent('mover on the local cloud', () => {
  it('engineer -> data-scientist (approved) -> sales ends with exactly the sales access; every dropped entitlement audited', async ({ expect }) => {
    const id = employeeId('mv');
    await hire(id, 'engineer');
    const hired = await accessOf(id, userNameOf(id));

    const first = await move(id, 'data-scientist', 'ds', [MANAGER, 'data-owners@example.com']);
    const middle = await accessOf(id, userNameOf(id));
    const second = await move(id, 'sales', 'sales');

    expect(first.status).toBe('SUCCEEDED');
    expect(second.status).toBe('SUCCEEDED');
    expect(middle.groups).toEqual(expectedAccess('data-scientist').groups);
    expect(live(middle.instances)).toHaveLength(1);
    expect(live(middle.instances)[0]?.id).not.toBe(hired.instances[0]?.id);
    const after = await accessOf(id, userNameOf(id));
    expect(after.userId).toBe(hired.userId);
    expect(after.groups).toEqual(expectedAccess('sales').groups);
    expect(live(after.instances)).toEqual([]);
    expect(after.volumes).toEqual([]);
    expect(after.snapshots).toHaveLength(2);
    expect(after.snapshots.every((snapshot) => snapshot.retained && snapshot.state === 'completed')).toBe(true);
    const grants = await grantsOf(id);
    expect(active(grants).map((grant) => `${grant.entitlementId}|${grant.source}`).sort()).toEqual(['group:AllStaff|role:sales', 'group:Sales|role:sales']);
    // Every grant the joiner and both moves recorded names the catalogue version that granted it.
    expect(new Set(grants.map((grant) => grant.catalogueVersion))).toEqual(new Set([e2e.cloud.catalogue.version]));
    expect(grants.filter((grant) => grant.status === 'revoked' && grant.source === 'role:engineer')).toHaveLength(4);
    expect(grants.find((grant) => grant.grantKey === 'group:AllStaff#role#engineer')?.revokedBy).toBe(`generic-${id}-ds`);
    expect(after.auditChainOk).toBe(true);
    expect(after.auditKinds.filter((kind) => kind === 'grant.revoked')).toHaveLength(5);
    expect(await roleOf(id)).toBe('sales');
  }, 90_000);

  it('engineer -> platform-engineer keeps the running workstation: no second instance, the new grant names it', async ({ expect }) => {
    const id = employeeId('mvk');
    await hire(id, 'engineer');
    const before = await accessOf(id, userNameOf(id));

    const execution = await move(id, 'platform-engineer', 'pe', [MANAGER, 'platform-owners@example.com']);

    expect(execution.status).toBe('SUCCEEDED');
    const after = await accessOf(id, userNameOf(id));
    expect(after.instances).toEqual(before.instances);
    expect(live(after.instances)).toHaveLength(1);
    expect(after.attachedVolumes).toBe(1);
    expect(after.snapshots).toEqual([]);
    expect(after.groups).toEqual(expectedAccess('platform-engineer').groups);
    const grants = await grantsOf(id);
    expect(active(grants).every((grant) => grant.source === 'role:platform-engineer')).toBe(true);
    expect(active(grants)).toHaveLength(expectedAccess('platform-engineer').entitlements);
    expect(active(grants).find((grant) => grant.entitlementId === 'workstation:dev-arm')?.instanceId).toBe(before.instances[0]?.id);
    expect(after.auditKinds.filter((kind) => kind === 'grant.revoked')).toHaveLength(0);
  });

  it('engineer -> sales -> engineer holds the engineer grants again (the revoked ones are replaced), with a new workstation', async ({ expect }) => {
    const id = employeeId('mvb');
    await hire(id, 'engineer');
    const hired = await accessOf(id, userNameOf(id));

    expect((await move(id, 'sales', 'sales')).status).toBe('SUCCEEDED');
    expect((await move(id, 'engineer', 'back')).status).toBe('SUCCEEDED');

    const after = await accessOf(id, userNameOf(id));
    expect(after.groups).toEqual(expectedAccess('engineer').groups);
    expect(live(after.instances)).toHaveLength(1);
    expect(live(after.instances)[0]?.id).not.toBe(hired.instances[0]?.id);
    const grants = await grantsOf(id);
    expect(active(grants).map((grant) => `${grant.entitlementId}|${grant.source}`).sort()).toEqual([
      'group:AllStaff|role:engineer',
      'group:Engineering|role:engineer',
      'group:ProdReadOnly|role:engineer',
      'workstation:dev-arm|role:engineer',
    ]);
    expect(active(grants).find((grant) => grant.entitlementId === 'workstation:dev-arm')?.instanceId).toBe(live(after.instances)[0]?.id);
    expect(grants.filter((grant) => grant.source === 'role:sales').map((grant) => grant.revokedBy)).toEqual([`generic-${id}-back`, `generic-${id}-back`]);
    expect(after.auditKinds.filter((kind) => kind === 'grant.revoked')).toHaveLength(4);
    expect(await roleOf(id)).toBe('engineer');
  }, 90_000);

  it('a denied move leaves the old access untouched', async ({ expect }) => {
    const id = employeeId('mvd');
    await hire(id, 'engineer');
    const before = await accessOf(id, userNameOf(id));
    const grantsBefore = await grantsOf(id);

    const execution = await move(id, 'data-scientist', 'deny', [MANAGER], 'deny');

    expect(execution.status).toBe('SUCCEEDED');
    const after = await accessOf(id, userNameOf(id));
    expect({ groups: after.groups, instances: after.instances, volumes: after.volumes, activeGrants: after.activeGrants }).toEqual({
      groups: before.groups,
      instances: before.instances,
      volumes: before.volumes,
      activeGrants: before.activeGrants,
    });
    expect(await grantsOf(id)).toEqual(grantsBefore);
    expect(after.auditKinds).toContain('approval.denied');
    expect(await roleOf(id)).toBe('engineer');
  });

  it('changes nothing when the same change runs a second time, and keeps a change of someone Gatehouse does not know yet, granting nothing (issue #11)', async ({ expect }) => {
    const id = employeeId('mv2');
    await hire(id, 'engineer');
    expect((await move(id, 'sales', 'sales')).status).toBe('SUCCEEDED');
    const first = await accessOf(id, userNameOf(id));
    const grants = await grantsOf(id);
    const event = (who: string, deliveryId: string) => ({
      type: 'employee.changed',
      deliveryId,
      source: 'generic',
      occurredAt: new Date().toISOString(),
      employee: { employeeId: who, email: userNameOf(who), firstName: 'Demo', lastName: who, role: 'sales', managerEmail: MANAGER, employmentType: 'employee', startDate: '2026-01-05' },
    });

    await e2e.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('mover'), name: `${id}-again`, input: JSON.stringify(event(id, `${id}-again`)) }));
    const stranger = employeeId('mvx');
    await e2e.sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('mover'), name: `${stranger}-x`, input: JSON.stringify(event(stranger, `${stranger}-x`)) }));

    expect((await finishedMover(`${id}-again`)).status).toBe('SUCCEEDED');
    const again = await accessOf(id, userNameOf(id));
    expect({ ...again, auditEntries: 0, auditKinds: [] }).toEqual({ ...first, auditEntries: 0, auditKinds: [] });
    expect(again.auditKinds.slice(first.auditKinds.length)).toEqual(['request.received', 'policy.decided']);
    expect(await grantsOf(id)).toEqual(grants);
    const kept = await finishedMover(`${stranger}-x`);
    expect(kept.status).toBe('SUCCEEDED');
    expect(JSON.parse(kept.output ?? '{}')).toMatchObject({ outcome: { result: 'ignored' } });
    const strangerAudit = await accessOf(stranger, userNameOf(stranger));
    expect(strangerAudit.auditKinds).toEqual(['request.received', 'policy.decided']);
    expect(strangerAudit.userId).toBeUndefined();
    expect(strangerAudit.activeGrants).toBe(0);
    const described = await e2e.sfn.send(new DescribeExecutionCommand({ executionArn: executionArn('mover', `${id}-again`) }));
    expect(described.status).toBe('SUCCEEDED');
  });
});
