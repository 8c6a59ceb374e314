import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BamboohrClient } from '#lib/adapters/hris/bamboohr';
import { HibobClient } from '#lib/adapters/hris/hibob';
import { HrisCredentialsError, HrisUnavailableError } from '#lib/adapters/hris/http';
import { PersonioClient } from '#lib/adapters/hris/personio';
import type { RosterEntry, VendorDirectoryClient } from '#lib/adapters/hris/vendor-client';
import { startLocalHris, type StartedLocalHris } from '../../../../local/hris/index.ts';
import { parseHrisFaults } from '../../../../local/hris/faults.ts';
import type { LocalVendor } from '../../../../local/hris/people.ts';

/** Each vendor client against the local HRIS on loopback: the vendor's paths, auth and shapes, and its failures. */
let hris: StartedLocalHris;
const fast = { sleep: () => Promise.resolve(), timeoutMs: 200 };

beforeAll(async () => {
  hris = await startLocalHris({ hangMs: 2000 });
});
afterAll(async () => hris.stop());

function clientFor(vendor: LocalVendor, wrong = false): VendorDirectoryClient {
  const c = hris.credentials;
  if (vendor === 'hibob') return new HibobClient({ ...c.hibob, token: wrong ? 'nope' : c.hibob.token, baseUrl: hris.url }, fast);
  if (vendor === 'bamboohr') return new BamboohrClient({ ...c.bamboohr, apiKey: wrong ? 'nope' : c.bamboohr.apiKey, baseUrl: hris.url }, fast);
  return new PersonioClient({ ...c.personio, clientSecret: wrong ? 'nope' : c.personio.clientSecret, baseUrl: hris.url }, fast);
}

async function all(generator: AsyncGenerator<RosterEntry>): Promise<RosterEntry[]> {
  const out: RosterEntry[] = [];
  for await (const entry of generator) out.push(entry);
  return out;
}

const known: Record<LocalVendor, string> = { hibob: '3332883854254932743', bamboohr: '40124', personio: '52011001' };

describe('vendor REST clients against the local HRIS', () => {
  it('HiBob reads one person with labels from humanReadable APPEND', async () => {
    expect(await clientFor('hibob').getEmployee(known.hibob)).toEqual({
      employeeId: '3332883854254932743', email: 'jamie.placeholder@example.com', firstName: 'Jamie', lastName: 'Placeholder',
      role: 'engineer', attributes: { jobTitle: 'Software Engineer' }, department: 'Platform', managerId: '3332883804594373380', managerEmail: 'pat.manager@example.com',
      employmentType: 'employee', startDate: '2026-03-02', terminated: false,
    });
  });

  it('BambooHR reads one person through the requested fields; a terminated one says so', async () => {
    expect(await clientFor('bamboohr').getEmployee('40125')).toMatchObject({ employeeId: '40125', role: 'sales', employmentType: 'contractor', endDate: '2026-10-30', terminated: false });
    expect(await clientFor('bamboohr').getEmployee('40126')).toMatchObject({ employeeId: '40126', terminated: true });
  });

  it('Personio reads person + latest employment with a client-credentials token, fetched once', async () => {
    const client = clientFor('personio');
    const before = hris.hris.calls.get('personio') ?? 0;
    expect(await client.getEmployee(known.personio)).toEqual({
      employeeId: '52011001', email: 'alex.personio@example.com', firstName: 'Alex', lastName: 'Personio', role: 'engineer', attributes: { jobTitle: 'Software Engineer' },
      managerId: '52011000', employmentType: 'employee', startDate: '2026-03-02', terminated: false,
    });
    await client.getEmployee('52011002');
    expect((hris.hris.calls.get('personio') ?? 0) - before).toBe(5); // 1 token + 2 x (person + employments)
  });

  it.each(['hibob', 'bamboohr', 'personio'] as const)('%s: an unknown id is undefined', async (vendor) => {
    expect(await clientFor(vendor).getEmployee('999999')).toBeUndefined();
  });

  it.each(['hibob', 'bamboohr', 'personio'] as const)('%s: wrong credentials are a credentials error, not retried', async (vendor) => {
    const before = hris.hris.calls.get(vendor) ?? 0;
    await expect(clientFor(vendor, true).getEmployee(known[vendor])).rejects.toBeInstanceOf(HrisCredentialsError);
    expect((hris.hris.calls.get(vendor) ?? 0) - before).toBe(1);
  });

  it.each(['hibob', 'bamboohr', 'personio'] as const)('%s: 429 + Retry-After, 500 and a timeout are retried to success', async (vendor) => {
    const client = clientFor(vendor);
    await client.getEmployee(known[vendor]); // Personio: token first, so the faults hit data calls
    hris.hris.faults.set(parseHrisFaults(`${vendor}:429:1:0;${vendor}:500:1;${vendor}:timeout:1`));
    expect(await client.getEmployee(known[vendor])).toMatchObject({ employeeId: known[vendor] });
    expect(hris.hris.faults.current()).toEqual([]);
  });

  it('gives up with HrisUnavailableError when the vendor stays down', async () => {
    hris.hris.faults.set(parseHrisFaults('hibob:500:10'));
    await expect(clientFor('hibob').getEmployee(known.hibob)).rejects.toBeInstanceOf(HrisUnavailableError);
    hris.hris.faults.set([]);
  });

  it.each(['hibob', 'bamboohr', 'personio'] as const)('%s: the roster includes inactive people', async (vendor) => {
    const entries = await all(clientFor(vendor).roster());
    expect(entries.every((entry) => entry.ok)).toBe(true);
    expect(entries.map((entry) => (entry.ok ? entry.record.employeeId : entry.employeeId)).sort()).toEqual(hris.people.list(vendor).map((p) => p.id).sort());
  });

  it('Personio pages the roster by cursor (50 a page) and reports a record it cannot use instead of throwing', async () => {
    for (let i = 0; i < 120; i += 1) {
      hris.people.put('personio', { id: `6000${String(i).padStart(3, '0')}`, email: `p${i}@example.com`, firstName: 'P', lastName: `N${i}`, title: 'Software Engineer', ...(i === 7 ? { gatehouseRole: 'Root User' } : {}), employmentType: 'employee', startDate: '2026-01-05' });
    }
    const entries = await all(clientFor('personio').roster());
    expect(entries).toHaveLength(hris.people.list('personio').length);
    const rejected = entries.filter((entry) => !entry.ok);
    expect(rejected).toEqual([{ ok: false, employeeId: '6000007', problem: expect.stringMatching(/^directory\.personio\["6000007"\]\.custom_attributes\.Gatehouse Role: /) }]);
  });

  it('restoring one vendor\'s credentials leaves another vendor\'s revocation in force', async () => {
    const good = hris.hris.credentials();
    hris.hris.revokeCredentials('hibob');
    hris.hris.revokeCredentials('bamboohr');
    try {
      hris.hris.restoreCredentials('hibob', good);
      expect(await clientFor('hibob').getEmployee(known.hibob)).toMatchObject({ employeeId: known.hibob });
      const stale = new BamboohrClient({ ...good.bamboohr, baseUrl: hris.url }, fast);
      await expect(stale.getEmployee(known.bamboohr)).rejects.toBeInstanceOf(HrisCredentialsError);
    } finally {
      hris.hris.restoreCredentials('bamboohr', good);
    }
  });
});
