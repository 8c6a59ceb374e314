import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StopExecutionCommand,
  type DescribeExecutionOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveEntitlements } from '../../functions/lib/domain/catalogue/resolve.ts';
import { roleCatalogue } from '../../functions/lib/runtime/catalogue.ts';
import type { EmployeeHired } from '../../functions/lib/domain/events/employee-events.ts';
import { executionArn, stateMachineArn } from '../../local/core/arn.ts';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { approvalLink, decide } from '../../local/demo/approver.ts';
import { DemoHris, hirePayload } from '../../local/demo/hris.ts';
import { accessOf } from '../../local/demo/inspect.ts';
import { waitFor } from '../../local/demo/report.ts';
import { freePortBase } from '../e2e/support/cloud-process.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { HRIS_SECRET_PREFIX, LOCAL_IDENTITY_STORE_ID, SCHEDULER_ROLE_ARN } from '../../local/function-env.ts';
import { SCHEDULE_GROUP_NAME } from '../../infra/spec/wiring.ts';
import { historyOf } from './sfn-helpers.ts';

/**
 * The restart test: the local cloud is stopped while a joiner waits for its
 * approvers and while a one-time schedule is pending, and a new cloud on the same data
 * folder (emulator state and DynamoDB Local's files, the engine restarted too) finishes both:
 * the joiner resumes on the approval it was waiting for (issue #11: never re-driven).
 *
 * Both boots use the same fixed ports, as `npm start` does: SDK clients created at module
 * load (functions, demo helpers) keep the endpoint they resolved first, and the approval
 * links carry the front door's URL.
 */
const MANAGER = 'dana.lead@example.com';
const FINANCE_OWNERS = 'finance-owners@example.com';
const runId = Date.now().toString(36).toUpperCase();
const today = new Date().toISOString().slice(0, 10);
const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A base port with base..base+8 free, below the ephemeral range other tests draw from. */
const groupsOf = (role: string) => resolveEntitlements(roleCatalogue, role).filter((e) => e.kind === 'group').length;
const userName = (id: string) => `${id.toLowerCase()}@example.com`;

/** Users carrying the employee's user name: a re-driven provisioning must not make two. */
async function usersNamed(name: string): Promise<number> {
  const client = new IdentitystoreClient({});
  const out = await client.send(
    new ListUsersCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, Filters: [{ AttributePath: 'UserName', AttributeValue: name }] }),
  );
  client.destroy();
  return out.Users?.length ?? 0;
}

/** The generic HRIS signing key: generated on the first boot, then kept. */
async function hrisKey(): Promise<string | undefined> {
  const client = new SecretsManagerClient({});
  const out = await client.send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}generic` }));
  client.destroy();
  return out.SecretString;
}

async function describeExecution(sfn: SFNClient, arn: string): Promise<DescribeExecutionOutput | undefined> {
  return sfn.send(new DescribeExecutionCommand({ executionArn: arn })).catch(() => undefined);
}

async function finished(sfn: SFNClient, arn: string, timeoutMs: number): Promise<DescribeExecutionOutput> {
  return waitFor(`${arn} to finish`, async () => {
    const out = await describeExecution(sfn, arn);
    return out && out.status !== 'RUNNING' ? out : undefined;
  }, timeoutMs, 250);
}

const waitsEntered = (events: HistoryEvent[]) =>
  events
    .filter((e) => e.type === 'WaitStateEntered')
    .map((e) => (JSON.parse(e.stateEnteredEventDetails?.input ?? '{}') as { request?: { provisionAt?: string } }).request?.provisionAt);

describe('restarting the local cloud', () => {
  let dataDir = '';
  let cloud: LocalCloud | undefined;
  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes a joiner parked on approval and a schedule that fell due while it was down', { timeout: 180_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-restart-'));
    const basePort = await freePortBase(20_000);
    const boot = () => startLocalCloud({ dataDir, basePort });
    cloud = await boot();
    const sfn = new SFNClient({});
    const hris = new DemoHris(cloud.endpoints.frontdoor);
    const key = await hrisKey();

    // 1. A high-risk hire: the joiner parks on its first approver.
    const fin = `FIN-${runId}`;
    const finDelivery = `restart-${runId}-fin`;
    const finArn = executionArn('joiner', `generic-${finDelivery}`);
    expect((await hris.post(hirePayload({ id: fin, role: 'finance-admin', managerEmail: MANAGER }), finDelivery)).status).toBe(202);
    const firstSes = cloud.endpoints.ses;
    const firstLink = await approvalLink(firstSes, MANAGER, fin, 30_000);

    // 2. A future-dated hire: the joiner parks in `Wait Until Lead Time`, weeks ahead.
    const later = `LATER-${runId}`;
    const laterDelivery = `restart-${runId}-later`;
    const laterArn = executionArn('joiner', `generic-${laterDelivery}`);
    expect((await hris.post(hirePayload({ id: later, role: 'engineer', startDate: inDays(60) }), laterDelivery)).status).toBe(202);
    const provisionAt = await waitFor('the future-dated hire to reach its Wait', async () => waitsEntered(await historyOf(sfn, laterArn))[0], 30_000);
    expect(Date.parse(provisionAt)).toBeGreaterThan(Date.now() + 50 * 86_400_000);

    // 3. A one-time schedule, due in ~4 s, that starts a joiner for a low-risk hire.
    const eng = `ENG-${runId}`;
    const event: EmployeeHired = {
      type: 'employee.hired',
      deliveryId: `restart-${runId}-scheduled`,
      source: 'generic',
      occurredAt: new Date().toISOString(),
      employee: { employeeId: eng, email: userName(eng), firstName: 'Sched', lastName: eng, role: 'engineer', employmentType: 'employee', startDate: today },
    };
    const dueAt = Math.ceil((Date.now() + 4_000) / 1000) * 1000;
    const scheduler = new SchedulerClient({});
    await scheduler.send(
      new CreateScheduleCommand({
        Name: `restart-${runId}`,
        // The scheduler role trusts schedules of the gatehouse group only (infra/spec/scheduler-trust.ts).
        GroupName: SCHEDULE_GROUP_NAME,
        ScheduleExpression: `at(${new Date(dueAt).toISOString().slice(0, 19)})`,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: stateMachineArn('joiner'), RoleArn: SCHEDULER_ROLE_ARN, Input: JSON.stringify(event) },
      }),
    );
    scheduler.destroy();

    // 4. Stop everything (DynamoDB Local included) while both wait; stay down past the due time.
    expect((await describeExecution(sfn, finArn))?.status).toBe('RUNNING');
    await cloud.stop();
    cloud = undefined;
    expect(Date.now()).toBeLessThan(dueAt);
    await new Promise((resolve) => setTimeout(resolve, dueAt + 1_000 - Date.now()));

    // 5. A new cloud on the same folder.
    cloud = await boot();
    const ses = cloud.endpoints.ses;
    expect(ses).toBe(firstSes);
    expect(await hrisKey()).toBe(key);

    // The parked joiner resumes where it was, waiting on its first approver with the same task
    // token: the approval function is not called again and the link already mailed works.
    await waitFor('the resumed cloud to answer for the joiner', async () => (await describeExecution(sfn, finArn))?.status, 30_000);
    const before = await historyOf(sfn, finArn);
    expect(before.filter((e) => e.type === 'TaskScheduled')).toHaveLength(1);
    expect(before.map((e) => e.type)).not.toContain('ExecutionRedriven');
    const mailsAbout = async (to: string) => (await fetchSentMails(ses)).filter((m) => m.destination.to.includes(to) && (m.body.text ?? '').includes(fin));
    expect(await mailsAbout(MANAGER)).toHaveLength(1);
    expect(await approvalLink(ses, MANAGER, fin, 5_000)).toBe(firstLink);
    expect(await decide(firstLink, 'approve', 'after the restart')).toEqual({ pageStatus: 200, decisionStatus: 303 });
    expect(await decide(await approvalLink(ses, FINANCE_OWNERS, fin, 30_000), 'approve')).toEqual({ pageStatus: 200, decisionStatus: 303 });
    const finDone = await finished(sfn, finArn, 60_000);
    expect(finDone).toMatchObject({ status: 'SUCCEEDED', redriveCount: 0 });
    const finAccess = await accessOf(fin, userName(fin));
    expect(finAccess.userId).toBeDefined();
    expect(finAccess.memberships).toBe(groupsOf('finance-admin'));
    expect(await usersNamed(userName(fin))).toBe(1);
    expect(finAccess.auditChainOk).toBe(true);

    // The schedule fired late, after the restart, and its joiner provisioned the hire.
    const scheduledArn = await waitFor('the late schedule to start its joiner', async () => {
      const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn('joiner'), maxResults: 1000 }));
      for (const execution of out.executions ?? []) {
        const described = await describeExecution(sfn, execution.executionArn ?? '');
        if (described?.input?.includes(event.deliveryId)) return execution.executionArn;
      }
      return undefined;
    }, 30_000, 500);
    const scheduledDone = await finished(sfn, scheduledArn, 60_000);
    expect(scheduledDone.status).toBe('SUCCEEDED');
    expect((scheduledDone.startDate?.getTime() ?? 0)).toBeGreaterThan(dueAt);
    const engAccess = await accessOf(eng, userName(eng));
    expect(engAccess.memberships).toBe(groupsOf('engineer'));
    expect(await usersNamed(userName(eng))).toBe(1);

    // The future-dated hire is still in its one Wait, and provisioned nothing.
    expect(waitsEntered(await historyOf(sfn, laterArn))).toEqual([provisionAt]);
    expect(await describeExecution(sfn, laterArn)).toMatchObject({ status: 'RUNNING', redriveCount: 0 });
    expect((await accessOf(later, userName(later))).userId).toBeUndefined();
    await sfn.send(new StopExecutionCommand({ executionArn: laterArn }));
    sfn.destroy();
  });
});
