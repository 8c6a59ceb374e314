import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateGroupMembershipCommand, CreateUserCommand, GetGroupIdCommand, IdentitystoreClient, ListUsersCommand } from '@aws-sdk/client-identitystore';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { AdoptionPlan } from '../../functions/lib/domain/adoption/plan.ts';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { executionArn } from '../../local/core/arn.ts';
import { finishedExecution } from '../../local/demo/run.ts';
import { freePortBase } from './support/cloud-process.ts';
import { LOCAL_IDENTITY_STORE_ID } from '../../local/function-env.ts';
import { runAdoptCli } from '../../tools/adopt-cli.ts';
import type { CliIo } from '../../tools/cli/errors.ts';
import { historyOf } from '../local/sfn-helpers.ts';
import { company } from '../support/adoption-company.ts';
import { eventually } from '../support/poll.ts';
import { joinerExecutions } from './support/e2e-cloud.ts';

/**
 * The adoption scenario (#14) through the whole local cloud, at a twentieth of its scale with
 * the same shape (the full 2,000 is test/unit/adoption/company.test.ts and bench/suites/adoption.ts):
 * 100 people, 75 with users (10 holding a membership no rule justifies), 2 users matching nobody,
 * 5 people whose address two users hold. Applied in batches of 5 by the adoption workflow, with the
 * local cloud stopped while it is a third of the way through and started again on the same data:
 * the execution resumes at the batch it was in (not from the top), adopts 75, starts 25 joiners
 * (one each), reports the 10 and the 2, and no user exists twice.
 */
const SHAPE = { people: 100, existing: 75, extras: 10, orphans: 2, ambiguous: 5 };
const IdentityStoreId = LOCAL_IDENTITY_STORE_ID;

async function allUserNames(identity: IdentitystoreClient): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await identity.send(new ListUsersCommand({ IdentityStoreId, MaxResults: 100, NextToken }));
    names.push(...(page.Users ?? []).map((u) => u.UserName ?? ''));
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

describe('adopting a company across a restart of the local cloud', () => {
  let dataDir = '';
  let cloud: LocalCloud | undefined;
  afterAll(async () => {
    await cloud?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('plans the shape exactly, and a restart a third of the way through changes none of the counts', { timeout: 240_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-adopt-company-'));
    const options = {
      dataDir,
      basePort: await freePortBase(41_000),
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      tablePrefix: `e2e-acompany-${randomUUID().slice(0, 8)}-`,
      ec2PendingMs: 200,
      functionEnv: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    };
    cloud = await startLocalCloud(options);
    const env = { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_TABLE_PREFIX: options.tablePrefix };
    const identity = new IdentitystoreClient({});
    const people = cloud.hris.people;
    for (const seeded of people.list('hibob')) people.put('hibob', { ...seeded, status: 'terminated', terminationDate: '2025-12-31' });
    const { roster, users } = company(SHAPE);
    for (const p of roster) {
      people.put('hibob', { id: p.id, email: p.email, firstName: 'Pat', lastName: p.id, title: 'Account Executive', gatehouseRole: 'sales', employmentType: 'employee', startDate: '2024-02-01', status: 'active' });
    }
    const groupIds = new Map<string, string>();
    for (const name of ['AllStaff', 'Sales', 'Finance']) {
      const out = await identity.send(new GetGroupIdCommand({ IdentityStoreId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: name } } }));
      groupIds.set(name, out.GroupId ?? '');
    }
    const before = (await allUserNames(identity)).length;
    for (const u of users) {
      const out = await identity.send(
        new CreateUserCommand({ IdentityStoreId, UserName: u.userName, DisplayName: u.key, Name: { GivenName: u.key, FamilyName: 'Existing' }, Emails: u.emails.map((Value) => ({ Value, Type: 'work' })) }),
      );
      for (const g of u.groups) await identity.send(new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: groupIds.get(g), MemberId: { UserId: out.UserId ?? '' } }));
    }

    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) };
    const cli = (args: string[], extra: { followMs?: number } = {}) => runAdoptCli(['--hris', 'hibob', '--local', ...args], io, { env, cwd: dataDir, batchSize: 5, pollMs: 50, ...extra });

    expect(await cli(['--json']), err.join('')).toBe(0);
    const plan = JSON.parse(out.join('')) as AdoptionPlan;
    expect(plan.counts).toEqual({ adopt: 75, create: 25, grants: 150, missing: 0, extras: 10, undecided: 0, terminated: 0, ambiguous: 5, invalid: 0, orphans: 2, managed: 0 });

    // Started, not followed: the test stops the cloud under the running execution.
    expect(await cli(['--apply', '--confirm', plan.fingerprint], { followMs: 0 })).toBe(4);
    const arn = executionArn('adoption', `adopt-${plan.fingerprint}`);
    let sfn = new SFNClient({});
    const cursorAtStop = await eventually(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      if (described.status !== 'RUNNING') throw new Error(`the adoption ended ${described.status} before the stop: ${described.error ?? ''} ${described.cause ?? ''}`);
      const exits = (await historyOf(sfn, arn)).filter((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Apply Next Batch');
      return exits.length >= 5 ? exits.length : undefined;
    }, 'the adoption to apply five batches', 60_000, 20);
    await cloud.stop();
    cloud = undefined;
    sfn.destroy();
    expect(cursorAtStop).toBeLessThan(15);

    cloud = await startLocalCloud(options);
    sfn = new SFNClient({});
    const done = await eventually(async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      return described.status === 'RUNNING' ? undefined : described;
    }, 'the resumed adoption to finish', 60_000, 100);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}')).toMatchObject({
      people: 100,
      batches: 20,
      counts: { batchesDone: 20, adopted: 75, grantsRecorded: 150, hiresSent: 25, extrasRevoked: 0 },
      reported: { extras: 10, orphans: 2, ambiguous: 5 },
    });
    const entered = (await historyOf(sfn, arn)).filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered.filter((name) => name === 'Read Stored Plan')).toHaveLength(1); // resumed, not started over

    // Adoption created nobody itself: one joiner per person without a user, started once each
    // (delivery id adopt-<employeeId>); the first of them ends with the person's user, made once.
    const hires = roster.slice(SHAPE.existing, SHAPE.people).map((p) => `adopt-${p.id}`);
    expect((await joinerExecutions(sfn)).map((e) => e.name).sort()).toEqual(hires.sort());
    expect((await finishedExecution(sfn, 'joiner', hires[0] ?? '', 120_000)).status).toBe('SUCCEEDED');
    const names = await allUserNames(identity);
    expect(names.length).toBeGreaterThan(before + users.length);
    expect(names.length).toBeLessThanOrEqual(before + users.length + hires.length);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    sfn.destroy();
    identity.destroy();
  });
});
