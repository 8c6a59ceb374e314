import { GetExecutionHistoryCommand, type DescribeExecutionCommandOutput, type HistoryEvent } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../functions/lib/adapters/dynamodb/audit.ts';
import { verifyChain } from '../../functions/lib/domain/audit/chain.ts';
import type { AuditEntry } from '../../functions/lib/domain/audit/entry.ts';
import { executionArn } from '../../local/core/arn.ts';
import type { FaultRule } from '../../local/core/faults.ts';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { changePayload, hirePayload } from '../../local/demo/hris.ts';
import { accessOf, type AccessSnapshot } from '../../local/demo/inspect.ts';
import { executionsNamed, finishedExecution } from '../../local/demo/run.ts';
import { employeeId, expectedAccess, finishedJoiner, startE2eCloud, userNameOf, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * The mover's failure paths on the whole local cloud, in two phases so the fault rules (global
 * to the cloud) never hit the wrong scenario:
 *  1. RunInstances and StopInstances always throttled, the rest at 20 %: A (sales -> engineer)
 *     fails while granting, B (engineer -> sales) fails while revoking, C moves engineer ->
 *     platform-engineer (keeps its workstation: needs neither call).
 *  2. 20 % throttling only: C moves on to sales; B's change is delivered again (same id: no
 *     run) and anew (new id: finishes the move).
 * Outcomes are read from the services and tables, with the rules lifted.
 */

const MANAGER = 'dana.lead@example.com';
const THROTTLE_20: FaultRule[] = [
  { service: 'identitystore', operation: '*', throttle: 0.2, latencyMs: 0 },
  { service: 'ec2', operation: '*', throttle: 0.2, latencyMs: 0 },
];
const PHASE_1: FaultRule[] = [
  ...THROTTLE_20,
  { service: 'ec2', operation: 'RunInstances', throttle: 1, latencyMs: 0 },
  { service: 'ec2', operation: 'StopInstances', throttle: 1, latencyMs: 0 },
];
/** One try plus the six retries every Task's ASL Retry allows. */
const ATTEMPTS = 7;

interface GrantRow {
  grantKey: string;
  entitlementId: string;
  source: string;
  status: string;
  revokedBy?: string;
}
interface Seen {
  execution: DescribeExecutionCommandOutput;
  access: AccessSnapshot;
  grants: GrantRow[];
  audit: AuditEntry[];
  role: unknown;
  failures: Record<string, number>;
}

let e2e: E2eCloud;
let dynamo: DynamoDBClient;
let doc: DynamoDBDocumentClient;
const ids = { a: employeeId('mfa'), b: employeeId('mfb'), c: employeeId('mfc') };
const seen: Partial<Record<'a' | 'b' | 'bAgain' | 'c1' | 'c2', Seen>> = {};
const throttled: { phase1: Record<string, number>; phase2: Record<string, number> } = { phase1: {}, phase2: {} };
let hiredInstance: string | undefined;
let sameDelivery: { status: number; runs: number } | undefined;

const finishedMover = (name: string) => finishedExecution(e2e.sfn, 'mover', name, 120_000);
const live = (instances: { id: string; state: string }[]) => instances.filter((instance) => instance.state !== 'terminated');
const active = (grants: GrantRow[]) => grants.filter((grant) => grant.status === 'active').map((grant) => `${grant.entitlementId}|${grant.source}`).sort();
const ofExecution = (audit: AuditEntry[], name: string) => audit.filter((entry) => entry.executionId.endsWith(`:${name}`));
const revokedIds = (audit: AuditEntry[]) => audit.flatMap((entry) => (entry.kind === 'grant.revoked' && entry.entitlementId ? [entry.entitlementId] : [])).sort();

async function grantsOf(id: string): Promise<GrantRow[]> {
  const out = await doc.send(new QueryCommand({ TableName: e2e.cloud.env.GRANTS_TABLE_NAME, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': id }, ConsistentRead: true }));
  return (out.Items ?? []) as GrantRow[];
}

/** Task failures per `state: error` in one mover execution's history (each one retried or caught). */
async function failuresOf(name: string): Promise<Record<string, number>> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await e2e.sfn.send(new GetExecutionHistoryCommand({ executionArn: executionArn('mover', name), maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const failures: Record<string, number> = {};
  let state = '';
  for (const event of events) {
    if (event.type === 'TaskStateEntered') state = event.stateEnteredEventDetails?.name ?? '';
    if (event.type !== 'LambdaFunctionFailed') continue;
    const key = `${state}: ${event.lambdaFunctionFailedEventDetails?.error ?? '?'}`;
    failures[key] = (failures[key] ?? 0) + 1;
  }
  return failures;
}

async function observe(id: string, name: string): Promise<Seen> {
  const execution = await finishedMover(name);
  return {
    execution,
    access: await accessOf(id, userNameOf(id)),
    grants: await grantsOf(id),
    audit: await createAuditStore({ client: dynamo, tableName: e2e.cloud.env.AUDIT_TABLE_NAME ?? '', clock: { now: () => new Date() } }).listBySubject(id),
    role: (await doc.send(new GetCommand({ TableName: e2e.cloud.env.EMPLOYEES_TABLE_NAME, Key: { employeeId: id }, ConsistentRead: true }))).Item?.role,
    failures: await failuresOf(name),
  };
}

async function post(id: string, role: string, deliveryId: string): Promise<void> {
  const posted = await e2e.hris.post(changePayload({ id, role, managerEmail: MANAGER }), deliveryId);
  if (posted.status !== 202) throw new Error(`change ${deliveryId} answered ${posted.status}`);
}

async function hire(id: string, role: string): Promise<void> {
  const posted = await e2e.hris.post(hirePayload({ id, role, managerEmail: MANAGER }), `${id}-hire`);
  if (posted.status !== 202) throw new Error(`hire answered ${posted.status}`);
  const joiner = await finishedJoiner(e2e.sfn, `generic-${id}-hire`);
  if (joiner.status !== 'SUCCEEDED') throw new Error(`joiner ${joiner.status}`);
}

/** C: engineer -> platform-engineer, approved by both approvers through the mailed links. */
async function moveToPlatform(id: string): Promise<void> {
  await post(id, 'platform-engineer', `${id}-pe`);
  for (const approver of [MANAGER, 'platform-owners@example.com']) {
    const decided = await decide(await approvalLink(e2e.cloud.endpoints.ses, approver, id, 60_000), 'approve');
    if (decided.decisionStatus !== 303) throw new Error(`${approver} could not decide (${decided.pageStatus}/${decided.decisionStatus})`);
  }
}

const countsSince = (before: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...e2e.cloud.faults.throttled].map(([key, n]) => [key, n - (before.get(key) ?? 0)] as const).filter(([, n]) => n > 0));

beforeAll(async () => {
  e2e = await startE2eCloud('mover-faults');
  dynamo = new DynamoDBClient({});
  doc = DynamoDBDocumentClient.from(dynamo);
  await Promise.all([hire(ids.a, 'sales'), hire(ids.b, 'engineer'), hire(ids.c, 'engineer')]);
  hiredInstance = live((await accessOf(ids.c, userNameOf(ids.c))).instances)[0]?.id;

  let before = new Map(e2e.cloud.faults.throttled);
  e2e.cloud.faults.set(PHASE_1);
  await Promise.all([post(ids.a, 'engineer', `${ids.a}-eng`), post(ids.b, 'sales', `${ids.b}-sales`), moveToPlatform(ids.c)]);
  await Promise.all([finishedMover(`generic-${ids.a}-eng`), finishedMover(`generic-${ids.b}-sales`), finishedMover(`generic-${ids.c}-pe`)]);
  e2e.cloud.faults.set([]);
  throttled.phase1 = countsSince(before);
  seen.a = await observe(ids.a, `generic-${ids.a}-eng`);
  seen.b = await observe(ids.b, `generic-${ids.b}-sales`);
  seen.c1 = await observe(ids.c, `generic-${ids.c}-pe`);

  before = new Map(e2e.cloud.faults.throttled);
  e2e.cloud.faults.set(THROTTLE_20);
  const duplicate = await e2e.hris.post(changePayload({ id: ids.b, role: 'sales', managerEmail: MANAGER }), `${ids.b}-sales`);
  await Promise.all([post(ids.b, 'sales', `${ids.b}-sales-2`), post(ids.c, 'sales', `${ids.c}-sales`)]);
  await Promise.all([finishedMover(`generic-${ids.b}-sales-2`), finishedMover(`generic-${ids.c}-sales`)]);
  e2e.cloud.faults.set([]);
  throttled.phase2 = countsSince(before);
  sameDelivery = { status: duplicate.status, runs: await executionsNamed(e2e.sfn, 'mover', `generic-${ids.b}-sales`) };
  seen.bAgain = await observe(ids.b, `generic-${ids.b}-sales-2`);
  seen.c2 = await observe(ids.c, `generic-${ids.c}-sales`);
  console.info('throttled calls, phase 1:', throttled.phase1, '\nphase 2:', throttled.phase2);
}, 240_000);

afterAll(async () => {
  dynamo?.destroy();
  await e2e?.stop();
});

describe('mover failure paths and throttling on the local cloud', () => {
  it('a failure while granting undoes only what the move created: the person keeps exactly the old role access', () => {
    const a = seen.a!;
    const own = ofExecution(a.audit, `generic-${ids.a}-eng`);

    expect(a.execution.status).toBe('FAILED');
    expect(a.execution.error).toBe('MoveFailed');
    expect(a.failures['Launch Workstation: TransientError']).toBe(ATTEMPTS);
    expect(throttled.phase1['ec2:RunInstances']).toBeGreaterThanOrEqual(ATTEMPTS);
    expect(a.access.groups).toEqual(expectedAccess('sales').groups);
    expect(a.access.instances).toEqual([]);
    expect(a.access.volumes).toEqual([]);
    expect(active(a.grants)).toEqual(['group:AllStaff|role:sales', 'group:Sales|role:sales']);
    expect(a.grants).toHaveLength(2);
    expect(a.role).toBe('sales');
    expect(own.map((entry) => entry.kind)).toEqual(['request.received', 'policy.decided', 'compensation.applied', 'compensation.applied', 'provisioning.failed']);
    const undone = own.filter((entry) => entry.kind === 'compensation.applied').sort((x, y) => String(x.entitlementId).localeCompare(String(y.entitlementId)));
    const undo = (entitlementId: string) => ({ entitlementId, actor: 'system:mover', step: 'Grant New Role Memberships', action: 'remove-membership' });
    expect(undone.map((entry) => ({ entitlementId: entry.entitlementId, actor: entry.actor, step: entry.detail.step, action: (entry.detail as { action?: string }).action }))).toEqual([
      undo('group:Engineering'),
      undo('group:ProdReadOnly'),
    ]);
    expect(undone.every((entry) => entry.reason.startsWith(`mover generic-${ids.a}-eng failed (TransientError): undid remove-membership `))).toBe(true);
    expect(own.at(-1)).toMatchObject({ actor: 'system:mover', detail: { step: 'Mover', error: 'TransientError', retryable: false } });
    expect(verifyChain(a.audit).ok).toBe(true);
  });

  it('a failure while revoking records provisioning.failed and leaves the new role plus the old role not yet revoked; a new delivery finishes it', () => {
    const b = seen.b!;
    const again = seen.bAgain!;
    const own = ofExecution(b.audit, `generic-${ids.b}-sales`);

    // What an operator (and reconciliation) sees after the failure.
    expect(b.execution.status).toBe('FAILED');
    expect(b.execution.error).toBe('MoveFailed');
    expect(b.failures['Stop Old Workstation: TransientError']).toBe(ATTEMPTS);
    expect(throttled.phase1['ec2:StopInstances']).toBeGreaterThanOrEqual(ATTEMPTS);
    expect(b.access.groups).toEqual(['AllStaff', 'Sales']);
    expect(live(b.access.instances)).toEqual([{ id: expect.stringMatching(/^i-/), state: 'running' }]);
    expect(b.access.attachedVolumes).toBe(1);
    expect(active(b.grants)).toEqual([
      'group:AllStaff|role:engineer',
      'group:AllStaff|role:sales',
      'group:Engineering|role:engineer',
      'group:ProdReadOnly|role:engineer',
      'group:Sales|role:sales',
      'workstation:dev-arm|role:engineer',
    ]);
    expect(b.role).toBe('engineer');
    expect(own.map((entry) => entry.kind)).toEqual(['request.received', 'policy.decided', 'grant.applied', 'grant.applied', 'provisioning.failed']);
    expect(own.at(-1)).toMatchObject({ actor: 'system:mover', detail: { step: 'Mover', error: 'TransientError', retryable: false } });

    // The same delivery again starts nothing (execution name = delivery id); a new one finishes the move.
    expect(sameDelivery).toEqual({ status: 202, runs: 1 });
    expect(again.execution.status).toBe('SUCCEEDED');
    expect(again.access.groups).toEqual(expectedAccess('sales').groups);
    expect(live(again.access.instances)).toEqual([]);
    expect(again.access.volumes).toEqual([]);
    expect(again.access.snapshots.map((snapshot) => [snapshot.state, snapshot.retained])).toEqual([['completed', true]]);
    expect(active(again.grants)).toEqual(['group:AllStaff|role:sales', 'group:Sales|role:sales']);
    expect(again.grants.filter((grant) => grant.source === 'role:engineer').map((grant) => grant.revokedBy)).toEqual(Array(4).fill(`generic-${ids.b}-sales-2`));
    expect(revokedIds(again.audit)).toEqual(['group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm']);
    expect(again.role).toBe('sales');
    expect(verifyChain(again.audit).ok).toBe(true);
  });

  it('engineer -> platform-engineer -> sales under 20 % throttling ends with exactly sales and one grant.revoked per dropped entitlement', () => {
    const [first, last] = [seen.c1!, seen.c2!];

    expect([first.execution.status, last.execution.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(first.access.groups).toEqual(expectedAccess('platform-engineer').groups);
    expect(live(first.access.instances).map((instance) => instance.id)).toEqual([hiredInstance]);
    expect(revokedIds(first.audit)).toEqual([]);
    expect(last.access.groups).toEqual(expectedAccess('sales').groups);
    expect(last.access.instances).toEqual([{ id: hiredInstance, state: 'terminated' }]);
    expect(last.access.volumes).toEqual([]);
    expect(last.access.snapshots.map((snapshot) => [snapshot.state, snapshot.retained])).toEqual([['completed', true]]);
    expect(active(last.grants)).toEqual(['group:AllStaff|role:sales', 'group:Sales|role:sales']);
    expect(last.grants.filter((grant) => grant.status === 'revoked')).toHaveLength(9);
    expect(revokedIds(last.audit)).toEqual(['group:Engineering', 'group:ProdAdmin', 'group:ProdReadOnly', 'workstation:dev-arm']);
    expect(last.role).toBe('sales');
    expect(verifyChain(last.audit).ok).toBe(true);
    const sum = (counts: Record<string, number>, service: string) => Object.entries(counts).reduce((n, [key, v]) => n + (key.startsWith(`${service}:`) ? v : 0), 0);
    expect(sum(throttled.phase2, 'identitystore')).toBeGreaterThan(0);
    expect(sum(throttled.phase2, 'ec2')).toBeGreaterThan(0);
  });
});
