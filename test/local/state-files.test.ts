import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonStore } from '../../local/core/store.ts';
import { createSecretsManagerEmulator } from '../../local/emulators/secretsmanager.ts';
import { clientConfig, noFaults, serve } from '../support/emulator.ts';

/** State files hold the HRIS signing secrets and people's identities: the owner's only. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-state-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('emulator state files', () => {
  it('are written 0600 in a 0700 folder, and a file an older version left world-readable is made 0600 when read', async () => {
    const file = join(dir, 'fresh', 'thing.json');
    const old = join(dir, 'old.json');
    await writeFile(old, '{"n":0}', { mode: 0o644 });

    const fresh = new JsonStore(file, () => ({ n: 1 }));
    fresh.save();
    const reused = new JsonStore<{ n: number }>(old, () => ({ n: 1 }));
    const modeOnLoad = await modeOf(old);
    reused.data.n = 2;
    reused.save();

    expect(modeOnLoad).toBe(0o600);
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(join(dir, 'fresh'))).toBe(0o700);
    expect(await modeOf(old)).toBe(0o600);
  });

  it("Secrets Manager's state, which holds the secret values, is the owner's only", async () => {
    const stateDir = join(dir, 'state');
    const client = new SecretsManagerClient(clientConfig(await serve(createSecretsManagerEmulator({ stateDir, faults: noFaults() }, { seed: {} }))));

    await client.send(new CreateSecretCommand({ Name: 'gatehouse/hris/test', SecretString: 'whsec_secret' }));

    expect(await modeOf(join(stateDir, 'secretsmanager.json'))).toBe(0o600);
  });
});
