import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { startHttpServer } from '../core/http.ts';
import { PeopleStore, type LocalSeed } from './people.ts';
import { LocalHris, type LocalHrisCredentials } from './server.ts';

export const DEFAULT_SEED_FILE = join(resolve(import.meta.dirname, '..', '..'), 'events', 'hris', 'directory.seed.json');

export interface StartedLocalHris {
  url: string;
  hris: LocalHris;
  people: PeopleStore;
  credentials: LocalHrisCredentials;
  stop(): Promise<void>;
}

/** Fresh credentials per installation: nothing secret is checked in. */
export function generateHrisCredentials(): LocalHrisCredentials {
  const secret = (): string => randomBytes(24).toString('base64url');
  return {
    hibob: { serviceUserId: `SERVICE-${randomBytes(4).toString('hex').toUpperCase()}`, token: secret() },
    bamboohr: { companyDomain: 'gatehouse-local', apiKey: randomBytes(20).toString('hex') },
    personio: { clientId: `papi-client-${randomBytes(6).toString('hex')}`, clientSecret: `papi-${secret()}` },
  };
}

export interface LocalHrisStartOptions {
  port?: number;
  seed?: LocalSeed;
  /** Persist people here (the CLI's changes survive a restart). */
  stateFile?: string;
  credentials?: LocalHrisCredentials;
  hangMs?: number;
  personioTokenSeconds?: number;
}

/** Boots the local HRIS on loopback (port 0 = any free port). */
export async function startLocalHris(options: LocalHrisStartOptions = {}): Promise<StartedLocalHris> {
  const people = new PeopleStore(options.seed ?? PeopleStore.seedFromFile(DEFAULT_SEED_FILE), options.stateFile);
  const credentials = options.credentials ?? generateHrisCredentials();
  const hris = new LocalHris({
    people,
    credentials,
    ...(options.hangMs !== undefined ? { hangMs: options.hangMs } : {}),
    ...(options.personioTokenSeconds !== undefined ? { personioTokenSeconds: options.personioTokenSeconds } : {}),
  });
  const server = await startHttpServer(options.port ?? 0, hris.handler);
  return {
    url: server.url,
    hris,
    people,
    credentials,
    stop: async () => {
      hris.stop();
      await server.close();
    },
  };
}
