import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidNextTokenException,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../local/core/faults.ts';
import { createSecretsManagerEmulator } from '../../local/emulators/secretsmanager.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';

const stateDir = mkdtempSync(join(tmpdir(), 'gatehouse-secrets-'));
const seed = { 'gatehouse/hris/bamboohr': 'seeded-signing-key' };
const endpoint = await serve(createSecretsManagerEmulator({ stateDir, faults: noFaults() }, { seed }));
const client = new SecretsManagerClient(clientConfig(endpoint, 1));

const ARN = /^arn:aws:secretsmanager:us-east-1:000000000000:secret:([A-Za-z0-9/_+=.@-]+)-[A-Za-z0-9]{6}$/;

describe('Secrets Manager secrets', () => {
  it('serves seeded secrets by name and by ARN', async () => {
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'gatehouse/hris/bamboohr' }));
    expect(byName).toMatchObject({ Name: 'gatehouse/hris/bamboohr', SecretString: 'seeded-signing-key', VersionStages: ['AWSCURRENT'] });
    expect(byName.ARN).toMatch(ARN);
    expect(byName.CreatedDate).toBeInstanceOf(Date);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
    expect(byArn.SecretString).toBe('seeded-signing-key');
  });

  it('creates a secret and rotates values: AWSCURRENT moves, the old value becomes AWSPREVIOUS', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: 'gatehouse/demo', SecretString: 'v1', Description: 'demo', Tags: [{ Key: 'team', Value: 'it' }] }));
    expect(created.ARN).toMatch(ARN);
    expect(created.VersionId).toBeDefined();
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'gatehouse/demo', SecretString: 'v2' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'gatehouse/demo' }))).resolves.toMatchObject({
      SecretString: 'v2',
      VersionId: put.VersionId,
    });
    await expect(client.send(new GetSecretValueCommand({ SecretId: created.ARN, VersionStage: 'AWSPREVIOUS' }))).resolves.toMatchObject({
      SecretString: 'v1',
      VersionId: created.VersionId,
    });
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'gatehouse/demo', VersionId: created.VersionId }))).resolves.toMatchObject({
      SecretString: 'v1',
    });
    const third = await client.send(new PutSecretValueCommand({ SecretId: 'gatehouse/demo', SecretString: 'v3' }));
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'gatehouse/demo' }));
    expect(described).toMatchObject({ Name: 'gatehouse/demo', ARN: created.ARN, Description: 'demo', Tags: [{ Key: 'team', Value: 'it' }] });
    expect(described.VersionIdsToStages).toEqual({ [put.VersionId ?? '']: ['AWSPREVIOUS'], [third.VersionId ?? '']: ['AWSCURRENT'] });
    expect(described.LastAccessedDate).toBeInstanceOf(Date);
  });

  it('stores binary secrets as base64 and keeps retried writes idempotent', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250]);
    await client.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const got = await client.send(new GetSecretValueCommand({ SecretId: 'binary' }));
    expect(got.SecretBinary).toEqual(bytes);
    expect(got.SecretString).toBeUndefined();

    const token = 'a'.repeat(32);
    const first = await client.send(new PutSecretValueCommand({ SecretId: 'binary', SecretString: 'same', ClientRequestToken: token }));
    const retried = await client.send(new PutSecretValueCommand({ SecretId: 'binary', SecretString: 'same', ClientRequestToken: token }));
    expect(retried.VersionId).toBe(first.VersionId);
    await expect(
      client.send(new PutSecretValueCommand({ SecretId: 'binary', SecretString: 'different', ClientRequestToken: token })),
    ).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('lists secrets with filters and pages', async () => {
    const all = await client.send(new ListSecretsCommand({}));
    expect(all.SecretList?.map((s) => s.Name).sort()).toEqual(['binary', 'gatehouse/demo', 'gatehouse/hris/bamboohr']);
    const demo = all.SecretList?.find((s) => s.Name === 'gatehouse/demo');
    expect(Object.values(demo?.SecretVersionsToStages ?? {})).toContainEqual(['AWSCURRENT']);
    const prefixed = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['GATEHOUSE/'] }] }));
    expect(prefixed.SecretList?.map((s) => s.Name).sort()).toEqual(['gatehouse/demo', 'gatehouse/hris/bamboohr']);
    const tagged = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['team'] }] }));
    expect(tagged.SecretList?.map((s) => s.Name)).toEqual(['gatehouse/demo']);
    const negated = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['!gatehouse'] }] }));
    expect(negated.SecretList?.map((s) => s.Name)).toEqual(['binary']);
    const first = await client.send(new ListSecretsCommand({ MaxResults: 2 }));
    const second = await client.send(new ListSecretsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(first.SecretList).toHaveLength(2);
    expect(second.SecretList).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    await expect(client.send(new ListSecretsCommand({ NextToken: 'garbage' }))).rejects.toBeInstanceOf(InvalidNextTokenException);
  });

  it('deletes with a recovery window, or at once with ForceDeleteWithoutRecovery', async () => {
    await client.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'x' }));
    const scheduled = await client.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }));
    expect(scheduled.DeletionDate?.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'doomed' }))).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(client.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).resolves.toMatchObject({ Name: 'doomed' });
    await expect(client.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'y' }))).rejects.toBeInstanceOf(InvalidRequestException);
    const listed = await client.send(new ListSecretsCommand({}));
    expect(listed.SecretList?.map((s) => s.Name)).not.toContain('doomed');
    const withDeleted = await client.send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
    expect(withDeleted.SecretList?.find((s) => s.Name === 'doomed')?.DeletedDate).toBeInstanceOf(Date);

    await client.send(new DeleteSecretCommand({ SecretId: 'doomed', ForceDeleteWithoutRecovery: true }));
    await expect(client.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'again' }))).resolves.toMatchObject({ Name: 'doomed' });
  });
});

describe('Secrets Manager errors', () => {
  it('ResourceNotFoundException for unknown secrets and versions', async () => {
    const calls: (() => Promise<unknown>)[] = [
      () => client.send(new GetSecretValueCommand({ SecretId: 'nope' })),
      () => client.send(new GetSecretValueCommand({ SecretId: 'gatehouse/demo', VersionStage: 'AWSPENDING' })),
      () => client.send(new PutSecretValueCommand({ SecretId: 'nope', SecretString: 'x' })),
      () => client.send(new DescribeSecretCommand({ SecretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-AbCdEf' })),
      () => client.send(new DeleteSecretCommand({ SecretId: 'nope', ForceDeleteWithoutRecovery: true })),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('ResourceExistsException for a second secret of the same name', async () => {
    await expect(client.send(new CreateSecretCommand({ Name: 'gatehouse/demo', SecretString: 'x' }))).rejects.toBeInstanceOf(ResourceExistsException);
  });

  it('InvalidParameterException for bad parameters', async () => {
    const calls: (() => Promise<unknown>)[] = [
      () => client.send(new CreateSecretCommand({ Name: 'both', SecretString: 'x', SecretBinary: new Uint8Array([1]) })),
      () => client.send(new CreateSecretCommand({ Name: 'bad name!' })),
      () => client.send(new PutSecretValueCommand({ SecretId: 'gatehouse/demo' })),
      () => client.send(new DeleteSecretCommand({ SecretId: 'gatehouse/demo', RecoveryWindowInDays: 3 })),
      () => client.send(new DeleteSecretCommand({ SecretId: 'gatehouse/demo', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })),
      () => client.send(new ListSecretsCommand({ MaxResults: 0 })),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'gatehouse/demo' }))).resolves.toMatchObject({ SecretString: 'v3' });
  });

  it('surfaces an injected throttle as ThrottlingException', async () => {
    const faults = new FaultInjector([{ service: 'secretsmanager', operation: '*', throttle: 1, latencyMs: 0 }]);
    const url = await serve(createSecretsManagerEmulator({ faults }, { seed }));
    await expect(
      new SecretsManagerClient(clientConfig(url, 1)).send(new GetSecretValueCommand({ SecretId: 'gatehouse/hris/bamboohr' })),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(faults.throttled.get('secretsmanager:GetSecretValue')).toBe(1);
  });
});

describe('Secrets Manager persistence', () => {
  it('keeps secrets across a restart and creates seeds only when absent', async () => {
    const url = await serve(createSecretsManagerEmulator({ stateDir, faults: noFaults() }, { seed: { 'gatehouse/demo': 'ignored', fresh: 'new' } }));
    const restarted = new SecretsManagerClient(clientConfig(url, 1));
    await expect(restarted.send(new GetSecretValueCommand({ SecretId: 'gatehouse/demo' }))).resolves.toMatchObject({ SecretString: 'v3' });
    await expect(restarted.send(new GetSecretValueCommand({ SecretId: 'fresh' }))).resolves.toMatchObject({ SecretString: 'new' });
    await expect(restarted.send(new GetSecretValueCommand({ SecretId: 'gatehouse/hris/bamboohr' }))).resolves.toMatchObject({
      SecretString: 'seeded-signing-key',
    });
  });
});
