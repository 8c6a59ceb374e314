import { CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '#lib/adapters/dynamodb/audit';
import { verifyChain } from '#lib/domain/audit/chain';
import { employeeLeftSchema, type EmployeeHired } from '#lib/domain/events/employee-events';
import { requestRecordSchema } from '#lib/domain/requests/request-record';
import type { TableSpec } from '../../infra/spec/tables.ts';
import type { LocalTableSpec } from '../../local/dynamodb-local.ts';
import { createSchedulerEmulator } from '../../local/emulators/scheduler.ts';
import { localFunctionEnv, SCHEDULER_ROLE_ARN } from '../../local/function-env.ts';
import { fetchSentMails, startSesLocal } from '../../local/ses-local.ts';
import { localTableSpecs } from '../../local/tables.ts';
import { createTestTables } from '../support/dynamodb.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';
import { invoke } from '../support/lambda.ts';

/**
 * The joiner's bookkeeping steps through their production handlers, against DynamoDB Local,
 * the Scheduler emulator and SES local, each run twice the way a Step Functions retry would.
 */

// ---- the local cloud for this file ---------------------------------------------------------

const fired: unknown[] = [];
const schedulerUrl = await serve(
  createSchedulerEmulator(
    { faults: noFaults() },
    {
      targets: {
        invokeFunction: (_arn, payload) => {
          fired.push(payload);
          return Promise.resolve();
        },
        startExecution: (_arn, input) => {
          fired.push(input);
          return Promise.resolve();
        },
      },
    },
  ),
);
const ses = await startSesLocal({ port: 0 });
afterAll(() => ses.stop());

const allSpecs = localTableSpecs({ tablePrefix: '', frontDoorUrl: '' });
function spec(name: TableSpec['name']): LocalTableSpec {
  const found = allSpecs.find((candidate) => candidate.create.TableName === name);
  if (!found) throw new Error(`no ${name} table in infra/spec/tables.ts`);
  return found;
}
const tables = await createTestTables('joiner-steps', {
  employees: spec('employees'),
  requests: spec('requests'),
  approvals: spec('approvals'),
  grants: spec('grants'),
  audit: spec('audit'),
  notifications: spec('notifications'),
});
afterAll(() => tables.drop());

const env = localFunctionEnv({ tablePrefix: tables.prefix, frontDoorUrl: 'http://127.0.0.1:1' });
// Clients and config load at import: the environment must be complete before the handlers are imported.
Object.assign(process.env, env, {
  AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
  AWS_ENDPOINT_URL_SCHEDULER: schedulerUrl,
  AWS_ENDPOINT_URL_SESV2: ses.endpoint,
});
// No Secrets Manager here: Slack is off, as when no Slack secret is configured (docs/slack.md).
delete process.env.SLACK_SECRET_NAME;
const { handler: prepareRequest } = await import('../../functions/prepare-join/handler.ts');

/** Prepare Request's output for a hire that applies (fails the test for an ignored one). */
function proceeding<T extends object>(output: T): Exclude<T, { ignored: unknown }> {
  if ('ignored' in output) throw new Error(`unexpected ignored hire: ${JSON.stringify(output.ignored)}`);
  return output as Exclude<T, { ignored: unknown }>;
}
const { handler: recordGrants } = await import('../../functions/record-grants/handler.ts');
const { handler: recordOutcome } = await import('../../functions/record-outcome/handler.ts');
const { handler: scheduleDeprovisioning } = await import('../../functions/schedule-deprovisioning/handler.ts');
const { handler: notify } = await import('../../functions/notify/handler.ts');

const doc = DynamoDBDocumentClient.from(tables.client);
const scheduler = new SchedulerClient(clientConfig(schedulerUrl));
afterAll(() => scheduler.destroy());
await scheduler.send(new CreateScheduleGroupCommand({ Name: env.SCHEDULE_GROUP_NAME }));
const audit = createAuditStore({ client: tables.client, tableName: tables.names.audit, clock: { now: () => new Date() } });

// ---- fixtures --------------------------------------------------------------------------------

let runs = 0;
/** A fresh execution and employee per test, so tests never share a chain or an item. */
function execution(role: string, extra: Partial<EmployeeHired['employee']> = {}) {
  runs += 1;
  const name = `dlv-${Date.now().toString(36)}-${runs}`;
  const event: EmployeeHired = {
    type: 'employee.hired',
    deliveryId: name,
    source: 'hibob',
    occurredAt: '2027-01-04T09:00:00+01:00',
    employee: {
      employeeId: `E-${runs}-${Date.now().toString(36)}`,
      email: 'sam.starter@example.com',
      firstName: 'Sam',
      lastName: 'Starter',
      role,
      managerEmail: 'pat.manager@example.com',
      employmentType: 'employee',
      startDate: '2027-02-01',
      ...extra,
    },
  };
  const ids = { executionId: `arn:aws:states:us-east-1:000000000000:execution:gatehouse-joiner:${name}`, executionName: name };
  return { event, ids, employeeId: event.employee.employeeId, name };
}

async function auditOf(subject: string) {
  const entries = await audit.listBySubject(subject);
  const keys = entries.map((entry) => entry.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  expect(verifyChain(entries)).toEqual({ ok: true });
  return entries;
}

const getItem = async (table: string, key: Record<string, string>) => (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

// ---- the steps -------------------------------------------------------------------------------

describe('prepare-join', () => {
  it('writes the request and the employee once, audits twice, and returns the same result on a retry', async () => {
    const { event, ids, employeeId, name } = execution('data-scientist', { employmentType: 'contractor', endDate: '2099-06-30' });

    const first = await invoke(prepareRequest, { event, ...ids });
    const second = await invoke(prepareRequest, { event, ...ids });

    expect(second).toEqual(first);
    expect(first).toMatchObject({
      requestId: name,
      employeeId,
      approvalTimeoutSeconds: 259_200,
      provisionAt: '2027-01-31T00:00:00Z',
      endAt: '2099-06-30T23:59:59Z',
      workstation: { id: 'workstation:gpu' },
      decision: { decision: 'needs-approval', chain: [{ kind: 'manager', email: 'pat.manager@example.com' }, { kind: 'entitlement-owner' }] },
    });
    const record = requestRecordSchema.parse(await getItem(tables.names.requests, { requestId: name }));
    expect(record).toMatchObject({ employeeId, employeeDisplayName: 'Sam Starter', role: 'data-scientist', executionId: ids.executionId });
    expect(await getItem(tables.names.employees, { employeeId })).toMatchObject({
      status: 'active',
      role: 'data-scientist',
      email: 'sam.starter@example.com',
      managerEmail: 'pat.manager@example.com',
      endDate: '2099-06-30',
      source: 'hibob',
      hrisOccurredAt: '2027-01-04T08:00:00.000Z',
      lastRequestId: name,
    });
    expect((await auditOf(employeeId)).map((entry) => entry.kind)).toEqual(['request.received', 'policy.decided']);
  });

  it('omits workstation and endAt for a low-risk hire without an end date', async () => {
    const { event, ids } = execution('sales');

    const request = proceeding(await invoke(prepareRequest, { event, ...ids }));

    expect(request.decision).toMatchObject({ decision: 'auto-approved' });
    expect(Object.keys(request).sort()).toEqual(['accountTargets', 'approvalTimeoutSeconds', 'catalogueVersion', 'decision', 'employee', 'employeeId', 'entitlements', 'generation', 'provisionAt', 'requestId']);
    expect(request.accountTargets).toEqual([]);
  });

  it('rejects an invalid event naming the field, and writes nothing', async () => {
    const { event, ids, employeeId, name } = execution('sales');
    const bad = { ...event, employee: { ...event.employee, startDate: '01/02/2027' } };

    await expect(invoke(prepareRequest, { event: bad, ...ids })).rejects.toMatchObject({ name: 'ValidationError', message: /event\.employee\.startDate/ });
    expect(await getItem(tables.names.requests, { requestId: name })).toBeUndefined();
    expect(await audit.listBySubject(employeeId)).toEqual([]);
  });

  it('lets MissingApproverError through for the state machine to catch', async () => {
    const { event, ids, name } = execution('finance-admin', { managerEmail: undefined });

    await expect(invoke(prepareRequest, { event, ...ids })).rejects.toMatchObject({ name: 'MissingApproverError' });
    expect(await getItem(tables.names.requests, { requestId: name })).toBeUndefined();
  });
});

describe('record-grants', () => {
  it('writes one grant per entitlement and one grant.applied each, even when run twice', async () => {
    const { event, ids, employeeId, name } = execution('data-scientist');
    const request = proceeding(await invoke(prepareRequest, { event, ...ids }));
    const input = {
      requestId: name,
      employeeId,
      employee: event.employee,
      entitlements: request.entitlements,
      source: { kind: 'role', roleId: 'data-scientist' },
      catalogueVersion: request.catalogueVersion,
      results: {
        approvals: [{ approver: 'pat.manager@example.com', decision: 'approved' }, { approver: 'data-owners@example.com', decision: 'approved' }],
        identity: {
          userId: 'u-1',
          userCreated: true,
          memberships: [
            { entitlementId: 'group:AllStaff', groupId: 'g-1', membershipId: 'm-1' },
            { entitlementId: 'group:DataScience', groupId: 'g-2', membershipId: 'm-2' },
          ],
        },
        workstation: { entitlementId: 'workstation:gpu', instanceId: 'i-0123456789abcdef0', availabilityZone: 'us-east-1a' },
        workstationState: { state: 'running' },
        storage: { entitlementId: 'workstation:gpu', volumeId: 'vol-0123456789abcdef0', device: '/dev/sdf' },
      },
      ...ids,
    };

    const first = await invoke(recordGrants, input);
    const second = await invoke(recordGrants, input);

    expect(first).toMatchObject({ recorded: 3, alreadyRecorded: 0 });
    expect(second).toMatchObject({ recorded: 0, alreadyRecorded: 3 });
    const { Items = [] } = await doc.send(
      new QueryCommand({ TableName: tables.names.grants, KeyConditionExpression: 'employeeId = :e', ExpressionAttributeValues: { ':e': employeeId } }),
    );
    expect(Items.map((item) => String(item.grantKey))).toEqual([
      'group:AllStaff#role#data-scientist',
      'group:DataScience#role#data-scientist',
      'workstation:gpu#role#data-scientist',
    ]);
    expect(request.catalogueVersion).toMatch(/^cat-[0-9a-f]{16}$/);
    expect(Items[2]).toMatchObject({
      source: 'role:data-scientist',
      catalogueVersion: request.catalogueVersion,
      status: 'active',
      requestId: name,
      approvedBy: ['pat.manager@example.com', 'data-owners@example.com'],
      instanceId: 'i-0123456789abcdef0',
      volumeId: 'vol-0123456789abcdef0',
    });
    const kinds = (await auditOf(employeeId)).map((entry) => entry.kind);
    expect(kinds).toEqual(['request.received', 'policy.decided', 'grant.applied', 'grant.applied', 'grant.applied']);
  });
});

describe('record-outcome', () => {
  it('audits a failure once and marks the request failed without ever reopening it', async () => {
    const { event, ids, employeeId, name } = execution('sales');
    await invoke(prepareRequest, { event, ...ids });
    const failure = { requestId: name, employeeId, outcome: 'provisioning.failed', error: { Error: 'GroupNotFoundError', Cause: 'no group Sales' }, ...ids };

    const first = await invoke(recordOutcome, failure);
    const again = await invoke(recordOutcome, failure);
    const other = await invoke(recordOutcome, { ...failure, outcome: 'approval.expired', error: { Error: 'States.Timeout' } });

    expect([first.marked, again.marked, other.marked]).toEqual(['marked', 'already-marked', 'kept']);
    expect(await getItem(tables.names.requests, { requestId: name })).toMatchObject({ status: 'failed', outcomeError: 'GroupNotFoundError' });
    const kinds = (await auditOf(employeeId)).map((entry) => entry.kind);
    expect(kinds).toEqual(['request.received', 'policy.decided', 'provisioning.failed', 'approval.expired']);
  });

  it('records a rejection whose input is garbage under the subject `unknown`', async () => {
    const { ids, name } = execution('sales');
    const rejection = {
      requestId: name,
      outcome: 'request.rejected',
      error: { Error: 'ValidationError', Cause: '{"errorMessage":"invalid task input: event.employee.email: Invalid email address"}' },
      rejectedInput: { employee: { employeeId: ['not', 'an', 'id'] }, junk: '\u0000\u0001' },
      ...ids,
    };

    const first = await invoke(recordOutcome, rejection);
    await invoke(recordOutcome, rejection);

    expect(first).toMatchObject({ subject: 'unknown', status: 'rejected', marked: 'no-record' });
    const entries = (await auditOf('unknown')).filter((entry) => entry.requestId === name);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: 'policy.decided',
      reason: 'request.rejected: ValidationError: invalid task input: event.employee.email: Invalid email address',
      detail: { outcome: 'denied' },
    });
  });

  it('finds the denied approval through the approvals table and keeps the page’s entry as the only denial', async () => {
    const { event, ids, employeeId, name } = execution('data-scientist');
    await invoke(prepareRequest, { event, ...ids });
    const approval = (approvalId: string, step: number, status: string) => ({
      itemType: 'approval',
      approvalId,
      ref: `apv-${approvalId}`,
      requestId: name,
      employeeId,
      executionId: ids.executionId,
      step,
      status,
      createdAt: `2027-01-0${step + 1}T00:00:00.000Z`,
      expiresAt: `2027-01-0${step + 4}T00:00:00.000Z`,
    });
    await doc.send(new PutCommand({ TableName: tables.names.approvals, Item: approval(`${name}-a`, 0, 'approved') }));
    await doc.send(new PutCommand({ TableName: tables.names.approvals, Item: approval(`${name}-b`, 1, 'denied') }));
    await audit.append({
      kind: 'approval.denied',
      subject: employeeId,
      actor: { type: 'approver', id: 'data-owners@example.com' },
      requestId: name,
      executionId: ids.executionId,
      reason: 'denied at approval step 2 through the e-mailed link',
      idempotencyKey: `approval/apv-${name}-b/decided`,
      detail: { approvalId: `apv-${name}-b` },
    });

    const result = await invoke(recordOutcome, { requestId: name, employeeId, outcome: 'approval.denied', error: { Error: 'ApprovalDeniedError' }, ...ids });

    expect(result).toMatchObject({ status: 'denied', marked: 'marked' });
    const entries = await auditOf(employeeId);
    expect(entries.map((entry) => entry.kind)).toEqual(['request.received', 'policy.decided', 'approval.denied']);
    expect(entries[2]?.actor).toBe('approver:data-owners@example.com');
  });
  it('audits an expiry with the ref and expiry of the approval that timed out', async () => {
    const { event, ids, employeeId, name } = execution('data-scientist');
    await invoke(prepareRequest, { event, ...ids });
    await doc.send(
      new PutCommand({
        TableName: tables.names.approvals,
        Item: {
          itemType: 'approval',
          approvalId: `${name}-p`,
          ref: `apv-${name}-p`,
          requestId: name,
          employeeId,
          executionId: ids.executionId,
          step: 0,
          status: 'pending',
          createdAt: '2027-01-04T08:00:00.000Z',
          expiresAt: '2027-01-07T08:00:00.000Z',
        },
      }),
    );

    const result = await invoke(recordOutcome, { requestId: name, employeeId, outcome: 'approval.expired', error: { Error: 'States.Timeout' }, ...ids });

    expect(result).toMatchObject({ status: 'expired', marked: 'marked' });
    const entries = await auditOf(employeeId);
    expect(entries.at(-1)).toMatchObject({ kind: 'approval.expired', detail: { approvalId: `apv-${name}-p`, expiresAt: '2027-01-07T08:00:00.000Z' } });
  });
});

describe('schedule-deprovisioning', () => {
  it('creates a one-time schedule that starts the leaver, leaves it on a retry and moves it with the end date', async () => {
    const { event, ids, employeeId, name } = execution('data-scientist', { employmentType: 'contractor', endDate: '2099-06-30' });
    const request = proceeding(await invoke(prepareRequest, { event, ...ids }));
    const input = { requestId: name, employeeId, endAt: request.endAt, ...ids };

    const first = await invoke(scheduleDeprovisioning, input);
    const retry = await invoke(scheduleDeprovisioning, input);
    const scheduleName = `leave-${employeeId}`;
    const created = await scheduler.send(new GetScheduleCommand({ Name: scheduleName, GroupName: env.SCHEDULE_GROUP_NAME }));

    expect(first).toEqual({ scheduleName, at: '2099-06-30T23:59:59Z', change: 'created' });
    expect(retry.change).toBe('unchanged');
    expect(created).toMatchObject({
      ScheduleExpression: 'at(2099-06-30T23:59:59)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      GroupName: env.SCHEDULE_GROUP_NAME,
      Target: { Arn: env.LEAVER_STATE_MACHINE_ARN, RoleArn: SCHEDULER_ROLE_ARN },
    });
    expect(env.LEAVER_STATE_MACHINE_ARN).toMatch(/:stateMachine:gatehouse-leaver$/);
    expect(employeeLeftSchema.parse(JSON.parse(created.Target?.Input ?? 'null'))).toEqual({
      type: 'employee.left',
      deliveryId: `end-date-${employeeId}-2099-06-30`,
      source: 'hibob',
      occurredAt: '2099-06-30T23:59:59Z',
      employeeId,
      effectiveAt: '2099-06-30T23:59:59Z',
      immediate: false,
    });

    const moved = await invoke(scheduleDeprovisioning, { ...input, endAt: '2099-12-31T23:59:59Z' });
    const updated = await scheduler.send(new GetScheduleCommand({ Name: scheduleName, GroupName: env.SCHEDULE_GROUP_NAME }));

    expect(moved.change).toBe('updated');
    expect(updated.ScheduleExpression).toBe('at(2099-12-31T23:59:59)');
    expect(employeeLeftSchema.parse(JSON.parse(updated.Target?.Input ?? 'null')).deliveryId).toBe(`end-date-${employeeId}-2099-12-31`);
    expect(fired).toEqual([]);
  });
});

describe('notify', () => {
  it('mails the new starter, the manager and the operators that access is ready, once however often the step is retried', async () => {
    const { event, ids, employeeId, name } = execution('sales');
    const request = proceeding(await invoke(prepareRequest, { event, ...ids }));
    const since = Math.floor(Date.now() / 1000);
    const input = { requestId: name, employeeId, employee: event.employee, entitlements: request.entitlements, results: {} };

    const result = await invoke(notify, input);
    const retried = await invoke(notify, input);

    expect(result).toMatchObject({ kind: 'access-ready', status: 'sent', recipients: 3, messageId: expect.any(String) });
    expect(retried).toMatchObject({ kind: 'access-ready', status: 'already-sent' });
    const mails = (await fetchSentMails(ses.endpoint, since)).filter((mail) => mail.subject === `Access ready for Sam Starter (${employeeId})`);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      from: env.MAIL_FROM,
      messageId: result.messageId,
      destination: { to: [event.employee.email, 'pat.manager@example.com', env.OPERATOR_EMAIL] },
    });
    expect(mails[0]?.body.text).toContain('  - group:Sales:');
  });

});
