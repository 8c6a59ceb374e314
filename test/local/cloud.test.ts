import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
  EC2ServiceException,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, ThrottlingException as EventsThrottling } from '@aws-sdk/client-eventbridge';
import { IdentitystoreClient, ListGroupsCommand, ThrottlingException as IdentityThrottling } from '@aws-sdk/client-identitystore';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  ThrottlingException as SchedulerThrottling,
} from '@aws-sdk/client-scheduler';
import { DescribePermissionSetCommand, ListInstancesCommand, ListPermissionSetsCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { GetSecretValueCommand, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient, SFNServiceException } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roleCatalogue } from '../../functions/lib/runtime/catalogue.ts';
import { TABLES } from '../../infra/spec/tables.ts';
import { EVENT_BUS_NAME, EVENT_RULES, SCHEDULE_GROUP_NAME, STATE_MACHINES } from '../../infra/spec/wiring.ts';
import { functionArn, stateMachineArn } from '../../local/core/arn.ts';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { LOCAL_AWS_ENV, SERVICES, type ServiceId } from '../../local/endpoints.ts';
import { HRIS_SECRET_PREFIX, LOCAL_IDENTITY_STORE_ID, SCHEDULER_ROLE_ARN } from '../../local/function-env.ts';
import { fetchSentMails } from '../../local/ses-local.ts';
import { dropTablesWithPrefix } from '../support/dynamodb.ts';

/**
 * The whole local cloud, booted once for this file on the run's shared DynamoDB Local.
 * Every SDK client here is built WITHOUT an endpoint: only the AWS_ENDPOINT_URL_<SERVICE>
 * variables the cloud put into process.env point it at the local services.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const prefix = `cloud-${randomUUID().slice(0, 8)}-`;
let cloud: LocalCloud;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-cloud-'));
  cloud = await startLocalCloud({ dataDir, basePort: 0, dynamodbEndpoint: inject('dynamodbEndpoint'), tablePrefix: prefix });
});

afterAll(async () => {
  await cloud?.stop();
  await dropTablesWithPrefix(prefix);
  await rm(dataDir, { recursive: true, force: true });
});

/** The environment of a child process, without anything AWS_ this test process has. */
const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));

const frontDoor = (path: string, init?: RequestInit) => fetch(`${cloud.endpoints.frontdoor}${path}`, init);

/** Replaces the fault rules (an empty spec clears them), as a script on this machine does: JSON, loopback. */
async function setFaults(spec: string): Promise<Response> {
  if (spec === '') return frontDoor('/_local/faults', { method: 'DELETE' });
  return frontDoor('/_local/faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ spec }) });
}

describe('the local cloud, through SDK clients configured by environment only', () => {
  it('sets AWS_ENDPOINT_URL_<SERVICE> for every emulated service', () => {
    for (const [service, { envVar }] of Object.entries(SERVICES)) {
      if (envVar) expect(process.env[envVar], envVar).toBe(cloud.endpoints[service as ServiceId]);
    }
    expect(process.env.AWS_REGION).toBe('us-east-1');
  });

  it('Identity Store: lists the groups the role catalogue names', async () => {
    const client = new IdentitystoreClient({});
    const out = await client.send(new ListGroupsCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, MaxResults: 100 }));
    const wanted = roleCatalogue.entitlements.filter((e) => e.kind === 'group').map((e) => e.displayName);
    expect((out.Groups ?? []).map((g) => g.DisplayName)).toEqual(expect.arrayContaining(wanted));
    expect(out.Groups?.[0]?.GroupId).toMatch(/\S/);
    client.destroy();
  });

  it("sso-admin: on the Identity Store's port, lists the local instance and the catalogue's permission sets", async () => {
    const client = new SSOAdminClient({});
    const { Instances = [] } = await client.send(new ListInstancesCommand({}));
    expect(Instances.map((i) => i.IdentityStoreId)).toEqual([LOCAL_IDENTITY_STORE_ID]);
    const { PermissionSets = [] } = await client.send(new ListPermissionSetsCommand({ InstanceArn: Instances[0]?.InstanceArn }));
    const names = await Promise.all(
      PermissionSets.map(async (arn) => (await client.send(new DescribePermissionSetCommand({ InstanceArn: Instances[0]?.InstanceArn, PermissionSetArn: arn }))).PermissionSet?.Name),
    );
    expect(names).toContain('AdministratorAccess');
    expect(cloud.endpoints['sso-admin']).toBe(cloud.endpoints.identitystore);
    client.destroy();
  });

  it('EC2: creates a volume, waits for it with the SDK waiter, describes it (XML into dates and numbers), deletes it', async () => {
    const client = new EC2Client({});
    const created = await client.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, VolumeType: 'gp3' }));
    expect(created.VolumeId).toMatch(/^vol-/);
    await waitUntilVolumeAvailable({ client, maxWaitTime: 20, minDelay: 1 }, { VolumeIds: [created.VolumeId ?? ''] });
    const described = await client.send(new DescribeVolumesCommand({ VolumeIds: [created.VolumeId ?? ''] }));
    expect(described.Volumes?.[0]).toMatchObject({ VolumeId: created.VolumeId, Size: 8, State: 'available' });
    expect(described.Volumes?.[0]?.CreateTime).toBeInstanceOf(Date);
    await client.send(new DeleteVolumeCommand({ VolumeId: created.VolumeId }));
    expect((await client.send(new DescribeInstancesCommand({}))).Reservations).toBeInstanceOf(Array);
    client.destroy();
  });

  it("EventBridge: describes the stack's rule and its target", async () => {
    const client = new EventBridgeClient({});
    const rule = EVENT_RULES[0];
    const described = await client.send(new DescribeRuleCommand({ Name: rule.name, EventBusName: EVENT_BUS_NAME }));
    expect(JSON.parse(described.EventPattern ?? '')).toEqual(rule.eventPattern);
    const targets = await client.send(new ListTargetsByRuleCommand({ Rule: rule.name, EventBusName: EVENT_BUS_NAME }));
    expect(targets.Targets?.map((t) => t.Arn)).toEqual([functionArn(rule.targetFunction)]);
    client.destroy();
  });

  it("Scheduler: creates, reads and deletes a one-time schedule in the stack's schedule group", async () => {
    const client = new SchedulerClient({});
    const Name = `cloud-test-${randomUUID().slice(0, 8)}`;
    await client.send(
      new CreateScheduleCommand({
        Name,
        GroupName: SCHEDULE_GROUP_NAME,
        ScheduleExpression: 'at(2099-01-01T00:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: stateMachineArn('joiner'), RoleArn: SCHEDULER_ROLE_ARN, Input: '{}' },
      }),
    );
    const got = await client.send(new GetScheduleCommand({ Name, GroupName: SCHEDULE_GROUP_NAME }));
    expect(got).toMatchObject({ Name, GroupName: SCHEDULE_GROUP_NAME, State: 'ENABLED', ScheduleExpression: 'at(2099-01-01T00:00:00)' });
    expect(got.CreationDate).toBeInstanceOf(Date);
    expect((await client.send(new ListSchedulesCommand({ GroupName: SCHEDULE_GROUP_NAME }))).Schedules?.map((s) => s.Name)).toContain(Name);
    await client.send(new DeleteScheduleCommand({ Name, GroupName: SCHEDULE_GROUP_NAME }));
    client.destroy();
  });

  it('Secrets Manager: returns the generated HRIS signing key', async () => {
    const client = new SecretsManagerClient({});
    const out = await client.send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}generic` }));
    expect(out.SecretString).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(out.CreatedDate).toBeInstanceOf(Date);
    client.destroy();
  });

  it('DynamoDB: holds every table of the stack under this cloud’s prefix', async () => {
    const client = new DynamoDBClient({});
    const names = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    expect(names.filter((n) => n.startsWith(prefix)).sort()).toEqual(TABLES.map((t) => `${prefix}${t.name}`).sort());
    client.destroy();
  });

  it('SES v2: accepts a mail that then shows in the inbox store', async () => {
    const client = new SESv2Client({});
    const subject = `cloud test ${randomUUID()}`;
    const sent = await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'gatehouse@example.com',
        Destination: { ToAddresses: ['someone@example.com'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'hello' } } } },
      }),
    );
    expect(sent.MessageId).toMatch(/\S/);
    expect((await fetchSentMails(cloud.endpoints.ses)).map((m) => m.subject)).toContain(subject);
    client.destroy();
  });

  it('Step Functions: lists every state machine in statemachines/, definitions fully substituted', async () => {
    const client = new SFNClient({});
    const files = readdirSync(join(ROOT, 'statemachines')).filter((f) => f.endsWith('.asl.json'));
    const listed = (await client.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
    const expected = STATE_MACHINES.filter((m) => files.includes(`${m}.asl.json`));
    expect(listed.map((m) => m.stateMachineArn).sort()).toEqual(expected.map((m) => stateMachineArn(m)).sort());
    for (const machine of listed) {
      expect(machine.creationDate).toBeInstanceOf(Date);
      const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: machine.stateMachineArn }));
      expect(described.definition).not.toContain('${');
      expect(JSON.parse(described.definition ?? '')).toHaveProperty('States');
    }
    const joiner = await client.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineArn('joiner') }));
    expect(joiner.definition).toContain(functionArn('prepare-join'));
    client.destroy();
  });
});

describe('endpoints.env', () => {
  const envFile = () => join(dataDir, 'endpoints.env');

  it('exports every endpoint variable, the dummy credentials and the front door', async () => {
    const text = await readFile(envFile(), 'utf8');
    const exported = Object.fromEntries([...text.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    for (const [service, { envVar }] of Object.entries(SERVICES)) {
      if (envVar) expect(exported[envVar], envVar).toBe(cloud.endpoints[service as ServiceId]);
    }
    for (const [key, value] of Object.entries(LOCAL_AWS_ENV)) expect(exported[key], key).toBe(value);
    expect(exported.GATEHOUSE_FRONT_DOOR).toBe(cloud.endpoints.frontdoor);
  });

  it('points a script in another process at the cloud with one `source`', async () => {
    const script = [
      "import { SFNClient, ListStateMachinesCommand } from '@aws-sdk/client-sfn';",
      'const out = await new SFNClient({}).send(new ListStateMachinesCommand({}));',
      "const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_')));",
      'console.log(JSON.stringify({ env, machines: (out.stateMachines ?? []).map((m) => m.name) }));',
    ].join('\n');
    const { stdout } = await run('bash', ['-c', 'source "$1" && exec node --input-type=module -e "$2"', 'bash', envFile(), script], {
      cwd: ROOT,
      env: cleanEnv(),
      timeout: 20_000,
    });
    const seen = JSON.parse(stdout) as { env: Record<string, string>; machines: string[] };
    expect(seen.env.AWS_ENDPOINT_URL_SFN).toBe(cloud.endpoints.sfn);
    expect(seen.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(cloud.endpoints.dynamodb);
    expect(seen.machines).toContain('gatehouse-joiner');
  });

  // The AWS CLI after the same `source`: test/local/aws-cli.test.ts (every service's list calls).
});

describe('the front door', () => {
  it('answers 404 JSON for a route the stack does not have', async () => {
    for (const [method, path] of [
      ['GET', '/no/such/route'],
      ['POST', '/hris'],
      ['DELETE', '/approvals/abc'],
    ] as const) {
      const res = await frontDoor(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('answers 413 above the API Gateway payload limit (10 MB), before any function runs', async () => {
    const res = await frontDoor('/hris/generic', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('serves what runs where on /_local/', async () => {
    const body = (await (await frontDoor('/_local/')).json()) as { endpoints: Record<string, string>; stateMachines: string[] };
    expect(body.endpoints.sfn).toBe(cloud.endpoints.sfn);
    expect(body.stateMachines).toContain(stateMachineArn('joiner'));
  });
});

describe('fault injection on /_local/faults', () => {
  it('sets, shows and clears rules', async () => {
    const set = await setFaults('ec2:RunInstances:latency=50;identitystore:*:throttle=0.25');
    expect(set.status).toBe(200);
    const shown = (await (await frontDoor('/_local/faults')).json()) as { rules: unknown[]; throttled: Record<string, number> };
    expect(shown.rules).toEqual([
      { id: expect.any(String), service: 'ec2', operation: 'RunInstances', throttle: 0, latencyMs: 50 },
      { id: expect.any(String), service: 'identitystore', operation: '*', throttle: 0.25, latencyMs: 0 },
    ]);
    expect((await setFaults('')).status).toBe(200);
    expect(((await (await frontDoor('/_local/faults')).json()) as { rules: unknown[] }).rules).toEqual([]);
  });

  it('answers 400 naming the bad rule or setting, and keeps the rules in force', async () => {
    await setFaults('sfn:*:latency=10');
    for (const [spec, named] of [
      ['identitystore:*:throttle=2', 'identitystore:*:throttle=2'],
      ['ec2:RunInstances', 'ec2:RunInstances'],
      ['ec2:*:throttle=lots', 'throttle=lots'],
      ['ec2:*:jitter=5', 'jitter'],
    ]) {
      const res = await setFaults(spec ?? '');
      expect(res.status, spec).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(named);
    }
    expect(((await (await frontDoor('/_local/faults')).json()) as { rules: { service: string }[] }).rules.map((r) => r.service)).toEqual(['sfn']);
    await setFaults('');
  });

  it("surfaces an injected throttle through env-configured clients as each service's own error", async () => {
    const services = ['identitystore', 'ec2', 'events', 'scheduler', 'secretsmanager', 'sfn'];
    expect((await setFaults(services.map((s) => `${s}:*:throttle=1`).join(';'))).status).toBe(200);
    try {
      const once = { maxAttempts: 1 };
      const failure = (call: Promise<unknown>) => call.then(() => new Error('expected a throttle'), (error: unknown) => error);

      expect(await failure(new IdentitystoreClient(once).send(new ListGroupsCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID })))).toBeInstanceOf(
        IdentityThrottling,
      );
      const ec2 = await failure(new EC2Client(once).send(new DescribeInstancesCommand({})));
      expect(ec2).toBeInstanceOf(EC2ServiceException);
      expect(ec2).toMatchObject({ name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } });
      expect(await failure(new EventBridgeClient(once).send(new ListRulesCommand({ EventBusName: EVENT_BUS_NAME })))).toBeInstanceOf(EventsThrottling);
      expect(await failure(new SchedulerClient(once).send(new ListSchedulesCommand({})))).toBeInstanceOf(SchedulerThrottling);
      const secrets = await failure(new SecretsManagerClient(once).send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}generic` })));
      expect(secrets).toBeInstanceOf(SecretsManagerServiceException);
      expect(secrets).toMatchObject({ name: 'ThrottlingException' });
      const sfn = await failure(new SFNClient(once).send(new ListStateMachinesCommand({})));
      expect(sfn).toBeInstanceOf(SFNServiceException);
      expect(sfn).toMatchObject({ name: 'ThrottlingException' });

      const { throttled } = (await (await frontDoor('/_local/faults')).json()) as { throttled: Record<string, number> };
      expect(Object.keys(throttled).map((key) => key.split(':')[0]).sort()).toEqual([...services].sort());
    } finally {
      await setFaults('');
    }
    // The SDK's default retries ride out a partial throttle.
    await setFaults('secretsmanager:*:throttle=0.5');
    try {
      const client = new SecretsManagerClient({ maxAttempts: 10 });
      for (let i = 0; i < 5; i++) await client.send(new GetSecretValueCommand({ SecretId: `${HRIS_SECRET_PREFIX}generic` }));
    } finally {
      await setFaults('');
    }
  });
});
