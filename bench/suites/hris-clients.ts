import { BamboohrClient } from '../../functions/lib/adapters/hris/bamboohr.ts';
import { HibobClient } from '../../functions/lib/adapters/hris/hibob.ts';
import { PersonioClient } from '../../functions/lib/adapters/hris/personio.ts';
import type { VendorDirectoryClient } from '../../functions/lib/adapters/hris/vendor-client.ts';
import { startLocalHris, type StartedLocalHris } from '../../local/hris/index.ts';
import { LOCAL_VENDORS, type LocalPerson, type LocalSeed, type LocalVendor } from '../../local/hris/people.ts';
import { latencyRows, type Row, type Suite } from '../lib/suite.ts';

/**
 * `hris-clients`: the production vendor REST clients against the local HRIS on loopback
 * (same process): one person by id one at a time (latency), many at once under the
 * clients' concurrency cap of 4 (throughput), and the whole roster of a company (HiBob one
 * search, BambooHR one custom report, Personio 50-person cursor pages plus one employments
 * call per person). The floor beside each: a bare `fetch` of the same vendor endpoint with
 * the same auth header and no client (no retry wrapper, no parsing, no record reading),
 * so the difference is the client's own cost. The local HRIS is not a model of the vendors'
 * latency; these are the client's and the loopback's costs only.
 */
const SUITE = 'hris-clients';
const CONCURRENCY = 4;

function company(size: number): LocalSeed {
  const people = (vendor: LocalVendor): LocalPerson[] => Array.from({ length: size }, (_, i) => ({
    id: String(70_000_000 + i), email: `${vendor}.p${i}@example.com`, firstName: 'Bench', lastName: `Person${i}`, title: 'Software Engineer', gatehouseRole: 'engineer',
    department: 'Platform', managerId: '70000000', managerEmail: 'lead@example.com', employmentType: 'employee', startDate: '2025-01-06', status: i % 10 === 0 ? 'terminated' : 'active',
  }));
  return Object.fromEntries(LOCAL_VENDORS.map((vendor) => [vendor, people(vendor)]));
}

function client(hris: StartedLocalHris, vendor: LocalVendor): VendorDirectoryClient {
  const options = { concurrency: CONCURRENCY };
  if (vendor === 'hibob') return new HibobClient({ ...hris.credentials.hibob, baseUrl: hris.url }, options);
  if (vendor === 'bamboohr') return new BamboohrClient({ ...hris.credentials.bamboohr, baseUrl: hris.url }, options);
  return new PersonioClient({ ...hris.credentials.personio, baseUrl: hris.url }, options);
}

/** The same endpoint the client calls first for one person, as a bare fetch. */
async function bareFetch(hris: StartedLocalHris, vendor: LocalVendor, id: string, bearer: string): Promise<void> {
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const c = hris.credentials;
  const res = vendor === 'hibob'
    ? await fetch(`${hris.url}/v1/people/${id}`, { method: 'POST', headers: { authorization: basic(c.hibob.serviceUserId, c.hibob.token), 'content-type': 'application/json' }, body: '{"fields":["root.id"]}' })
    : vendor === 'bamboohr'
      ? await fetch(`${hris.url}/api/gateway.php/${c.bamboohr.companyDomain}/v1/employees/${id}?fields=firstName`, { headers: { authorization: basic(c.bamboohr.apiKey, 'x') } })
      : await fetch(`${hris.url}/v2/persons/${id}`, { headers: { authorization: `Bearer ${bearer}` } });
  await res.text();
}

async function timeEach(n: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await call(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

async function perSecond(n: number, inFlight: number, call: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < n) await call(next++);
  }));
  return n / ((performance.now() - start) / 1000);
}

export const hrisClientsSuite: Suite = {
  name: SUITE,
  async run(ctx) {
    const size = ctx.size(2000, 200);
    const calls = ctx.size(1000, 100);
    const hris = await startLocalHris({ seed: company(size) });
    ctx.defer(() => hris.stop());
    const form = new URLSearchParams({ client_id: hris.credentials.personio.clientId, client_secret: hris.credentials.personio.clientSecret, grant_type: 'client_credentials' });
    const token = ((await (await fetch(`${hris.url}/v2/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as { access_token: string }).access_token;
    const rows: Row[] = [];
    const idOf = (i: number) => String(70_000_000 + (i % size));
    for (const vendor of LOCAL_VENDORS) {
      const c = client(hris, vendor);
      await c.getEmployee(idOf(0)); // warm: Personio's token, connections
      rows.push(...latencyRows(SUITE, `${vendor} getEmployee, one at a time`, await timeEach(calls / 2, (i) => c.getEmployee(idOf(i)))));
      rows.push(...latencyRows(SUITE, `${vendor} floor: bare fetch of the first call`, await timeEach(calls / 2, (i) => bareFetch(hris, vendor, idOf(i), token))));
      rows.push({ suite: SUITE, metric: `${vendor} getEmployee, ${CONCURRENCY * 4} callers, cap ${CONCURRENCY}`, value: await perSecond(calls, CONCURRENCY * 4, (i) => c.getEmployee(idOf(i))), unit: 'people/s', n: calls });
      rows.push({ suite: SUITE, metric: `${vendor} floor: bare fetch, ${CONCURRENCY} in flight`, value: await perSecond(calls, CONCURRENCY, (i) => bareFetch(hris, vendor, idOf(i), token)), unit: 'calls/s', n: calls });
      const start = performance.now();
      let people = 0;
      for await (const entry of c.roster()) if (entry.ok) people += 1;
      rows.push({ suite: SUITE, metric: `${vendor} roster of ${size} (read ${people}, inactive included)`, value: performance.now() - start, unit: 'ms', n: 1 });
    }
    return rows;
  },
};
