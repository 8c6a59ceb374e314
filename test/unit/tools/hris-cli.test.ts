import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '#lib/domain/hris/registry';
import type { HrisEvent } from '#lib/domain/hris/types';
import { startHttpServer, type RunningServer } from '../../../local/core/http.ts';
import { hrisControl } from '../../../local/hris/control.ts';
import { generateHrisCredentials } from '../../../local/hris/index.ts';
import { PeopleStore } from '../../../local/hris/people.ts';
import { peopleDirectory } from '../../../local/hris/records.ts';
import { LocalHris } from '../../../local/hris/server.ts';
import { runHrisCli } from '../../../tools/hris-cli.ts';

/**
 * `gatehouse hris` against a local HRIS on loopback whose webhooks go to a front door that
 * verifies and normalises them with the production adapters: the CLI's change reaches
 * Gatehouse as the vendor would send it.
 */
const SECRETS = { hibob: 'hibob-secret', bamboohr: 'bamboo-secret', personio: 'Bearer personio-token' } as const;
const received: HrisEvent[] = [];
let hrisServer: RunningServer;
let frontDoor: RunningServer;
const people = new PeopleStore({ hibob: [], bamboohr: [], personio: [] });

beforeAll(async () => {
  const directory = peopleDirectory(people);
  frontDoor = await startHttpServer(0, async (req) => {
    const source = req.path.replace('/hris/', '');
    const adapter = adapterFor(source);
    try {
      adapter.verify({ headers: req.headers, rawBody: req.body }, SECRETS[source as keyof typeof SECRETS], { now: () => new Date() });
    } catch {
      return { status: 401, body: '{"error":"Unauthorized"}' };
    }
    const events = await adapter.normalise({ headers: req.headers, rawBody: req.body }, directory);
    received.push(...events);
    return { status: 202, body: JSON.stringify({ deliveryId: adapter.deliveryId({ headers: req.headers, rawBody: req.body }), events: events.length }) };
  });
  const hris = new LocalHris({ people, credentials: generateHrisCredentials() });
  hrisServer = await startHttpServer(0, hrisControl({ hris, people, frontDoorUrl: frontDoor.url, secretFor: (vendor) => Promise.resolve(SECRETS[vendor]) }));
});
afterAll(async () => {
  await hrisServer.close();
  await frontDoor.close();
});

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const run = (...argv: string[]) => runHrisCli(argv, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { env: { GATEHOUSE_HRIS_URL: hrisServer.url }, fetch, cwd: '/nonexistent' });
  return { run, out: () => out.join(''), err: () => err.join('') };
}

describe('gatehouse hris', () => {
  it.each(['hibob', 'bamboohr', 'personio'] as const)('%s: add, change and terminate each send a webhook Gatehouse accepts as hired, changed, left', async (vendor) => {
    received.length = 0;
    const id = vendor === 'hibob' ? '3332883854254999001' : vendor === 'bamboohr' ? '40999' : '52099001';
    const c = cli();
    expect(await c.run('add', '--vendor', vendor, '--id', id, '--email', `cli.${vendor}@example.com`, '--first', 'Cli', '--last', 'Person', '--title', 'Software Engineer', '--role', 'engineer')).toBe(0);
    expect(await c.run('change', '--vendor', vendor, '--id', id, '--title', 'Account Executive', '--role', 'sales')).toBe(0);
    expect(await c.run('terminate', '--vendor', vendor, '--id', id)).toBe(0);
    expect(c.out()).toContain(`webhook POST /hris/${vendor} answered 202`);
    expect(received.map((event) => event.type)).toEqual(['employee.hired', 'employee.changed', 'employee.left']);
    expect(received[1]).toMatchObject({ employee: { employeeId: id, role: 'sales' } });
    expect(people.get(vendor, id)).toMatchObject({ status: 'terminated', gatehouseRole: 'sales' });
  });

  it('lists people, and refuses bad input with a clear message and exit 1 or 2', async () => {
    const c = cli();
    expect(await c.run('list', '--vendor', 'hibob')).toBe(0);
    expect(c.out()).toMatch(/^hibob \(\d+\)/);
    expect(await c.run('change', '--vendor', 'hibob', '--id', 'nobody', '--title', 'X')).toBe(1);
    expect(c.err()).toContain('hibob has no person nobody');
    expect(await c.run('add', '--vendor', 'workday', '--id', '1')).toBe(1);
    expect(await c.run('add', '--vendor', 'hibob', '--id', '5', '--email', 'not-an-email', '--first', 'A', '--last', 'B', '--title', 'T')).toBe(1);
    expect(c.err()).toContain('person.email');
    expect(await c.run('promote')).toBe(2);
    expect(c.err()).toContain('unknown hris command promote');
  });
});
