import { join } from 'node:path';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RequestHandler } from '../core/http.ts';
import { hrisControl } from './control.ts';
import { DEFAULT_SEED_FILE, generateHrisCredentials } from './index.ts';
import { LOCAL_VENDORS, PeopleStore, type LocalVendor } from './people.ts';
import { LocalHris, type LocalHrisCredentials } from './server.ts';

/**
 * The local HRIS inside the local cloud: its API credentials are generated once per
 * installation and kept where the functions read them, in Secrets Manager as
 * `gatehouse/hris/<vendor>/api` (with `baseUrl` = this server), so hris-webhook runs the
 * same vendor clients it runs on AWS. People persist under the data dir.
 */
export const apiSecretName = (prefix: string, vendor: LocalVendor): string => `${prefix}${vendor}/api`;

/** Secrets Manager seed values: the API credentials as the functions expect them (baseUrl set after boot). */
export function hrisApiSeed(prefix: string): Record<string, string> {
  const creds = generateHrisCredentials();
  return Object.fromEntries(LOCAL_VENDORS.map((vendor) => [apiSecretName(prefix, vendor), JSON.stringify(creds[vendor])]));
}

export interface BootedHris {
  hris: LocalHris;
  people: PeopleStore;
  handler: RequestHandler;
}

/** Reads the credentials back (they may come from an earlier boot), points them at `hrisUrl`, and builds the server. */
export async function bootLocalHris(options: { prefix: string; hrisUrl: string; frontDoorUrl: string; stateDir?: string; hangMs?: number }): Promise<BootedHris> {
  const client = new SecretsManagerClient({});
  const read = async (name: string): Promise<string> => (await client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? '';
  const credentials: Record<string, unknown> = {};
  for (const vendor of LOCAL_VENDORS) {
    const name = apiSecretName(options.prefix, vendor);
    const value = JSON.parse(await read(name)) as Record<string, unknown>;
    if (value.baseUrl !== options.hrisUrl) {
      value.baseUrl = options.hrisUrl;
      await client.send(new PutSecretValueCommand({ SecretId: name, SecretString: JSON.stringify(value) }));
    }
    credentials[vendor] = Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'baseUrl'));
  }
  const people = new PeopleStore(PeopleStore.seedFromFile(DEFAULT_SEED_FILE), options.stateDir ? join(options.stateDir, 'hris-people.json') : undefined);
  const hris = new LocalHris({ people, credentials: credentials as unknown as LocalHrisCredentials, ...(options.hangMs !== undefined ? { hangMs: options.hangMs } : {}) });
  const handler = hrisControl({ hris, people, frontDoorUrl: options.frontDoorUrl, secretFor: (vendor) => read(`${options.prefix}${vendor}`) });
  return { hris, people, handler };
}
