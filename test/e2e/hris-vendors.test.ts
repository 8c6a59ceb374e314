import { randomInt } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { accessOf } from '../../local/demo/inspect.ts';
import { executionsNamed, finishedExecution } from '../../local/demo/run.ts';
import { parseHrisFaults } from '../../local/hris/faults.ts';
import type { LocalPerson, LocalVendor } from '../../local/hris/people.ts';
import { deliver, vendorWebhook, type HrAction } from '../../local/hris/webhooks.ts';
import { expectedAccess, startE2eCloud, type E2eCloud } from './support/e2e-cloud.ts';

/**
 * Each vendor through the front door and the real ASL on the local cloud: thin webhooks
 * (ids only) answered from the vendor's REST API on the local HRIS, with the vendor's auth.
 * Hire -> provisioned, change -> moved, termination -> deprovisioned; and the vendor's
 * failures (revoked credentials, 429 + Retry-After, 500, a hang) end as a retried or a
 * clearly failed delivery that started nothing, never a wrong grant.
 */
const VENDORS = ['hibob', 'bamboohr', 'personio'] as const;
/** Hang guard for whole hire/move/leave flows on a shared 2-core machine (about 30 s each when it is quiet). */
const FLOW_TIMEOUT = { timeout: 240_000 };
let e2e: E2eCloud;
let secrets: SecretsManagerClient;

beforeAll(async () => {
  // A `timeout` fault holds its answer 3 s; hris-webhook gives each vendor call 1 s.
  // Revoked credentials are logged as errors by design (an operator must act); the test keeps the log quiet.
  e2e = await startE2eCloud('hris-vendors', { hrisHangMs: 3000, functionEnv: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
  secrets = new SecretsManagerClient({});
});
afterAll(async () => {
  secrets?.destroy();
  await e2e?.stop();
});

const signingSecret = async (vendor: LocalVendor): Promise<string> =>
  (await secrets.send(new GetSecretValueCommand({ SecretId: `${e2e.cloud.env.HRIS_SECRET_PREFIX}${vendor}` }))).SecretString ?? '';

function newPerson(vendor: LocalVendor): LocalPerson {
  const id = String(randomInt(10_000_000, 99_999_999));
  return {
    id, email: `${vendor}.${id}@example.com`, firstName: 'Vendor', lastName: `Person${id}`, title: 'Software Engineer', gatehouseRole: 'engineer',
    department: 'Platform', managerId: '40101', managerEmail: 'dana.lead@example.com', employmentType: 'employee', startDate: new Date().toISOString().slice(0, 10), status: 'active',
  };
}

/** HR acts in the vendor (the local HRIS's people), and the vendor posts its signed thin webhook. */
async function act(vendor: LocalVendor, action: HrAction, person: LocalPerson, changed: (keyof LocalPerson)[] = []) {
  e2e.cloud.hris.people.put(vendor, person);
  const delivery = vendorWebhook({ vendor, action, person, changed, secret: await signingSecret(vendor) });
  const answer = await deliver(e2e.frontDoor, delivery);
  return { delivery, status: answer.status, body: answer.status === 202 ? (JSON.parse(answer.body) as { deliveryId: string; events: number }) : undefined };
}

describe.concurrent.each(VENDORS)('%s through the front door', (vendor) => {
  it('thin hire, change and termination end provisioned, moved and deprovisioned', FLOW_TIMEOUT, async ({ expect }) => {
    const person = newPerson(vendor);
    const hired = await act(vendor, 'hire', person);
    expect(hired.status).toBe(202);
    expect((await finishedExecution(e2e.sfn, 'joiner', hired.body?.deliveryId ?? '', 90_000)).status).toBe('SUCCEEDED');
    expect((await accessOf(person.id, person.email)).groups).toEqual(expectedAccess('engineer').groups);

    const moved = { ...person, title: 'Account Executive', gatehouseRole: 'sales', department: 'Sales' };
    const changed = await act(vendor, 'change', moved, ['title', 'gatehouseRole', 'department']);
    expect(changed.status).toBe(202);
    expect((await finishedExecution(e2e.sfn, 'mover', changed.body?.deliveryId ?? '', 90_000)).status).toBe('SUCCEEDED');
    expect((await accessOf(person.id, person.email)).groups).toEqual(expectedAccess('sales').groups);

    const left = await act(vendor, 'terminate', { ...moved, status: 'terminated', terminationDate: new Date().toISOString().slice(0, 10) });
    expect(left.status).toBe(202);
    expect((await finishedExecution(e2e.sfn, 'leaver', left.body?.deliveryId ?? '', 90_000)).status).toBe('SUCCEEDED');
    const after = await accessOf(person.id, person.email);
    expect(after).toMatchObject({ users: 0, memberships: 0, activeGrants: 0, auditChainOk: true });
  });
});

// One test per vendor (its fault queue is its own), the vendors side by side.
describe.concurrent.each(VENDORS)('%s failing', (vendor) => {
  it('429 + Retry-After, a 500 and a hang are retried inside the delivery; staying down or a wait past the budget is a 503 that starts nothing, and the redelivery works; revoked credentials are a 500 with no grant', FLOW_TIMEOUT, async ({ expect }) => {
    for (const fault of ['429:1:1', '500:1', 'timeout:1']) {
      const person = newPerson(vendor);
      e2e.cloud.hris.faults.setFor(vendor, parseHrisFaults(`${vendor}:${fault}`));
      const hired = await act(vendor, 'hire', person);
      expect(hired.status, fault).toBe(202);
      expect(e2e.cloud.hris.faults.current().filter((f) => f.vendor === vendor), fault).toEqual([]);
      expect((await finishedExecution(e2e.sfn, 'joiner', hired.body?.deliveryId ?? '', 90_000)).status, fault).toBe('SUCCEEDED');
      expect(await executionsNamed(e2e.sfn, 'joiner', hired.body?.deliveryId ?? ''), fault).toBe(1);
    }

    const person = newPerson(vendor);
    e2e.cloud.hris.faults.setFor(vendor, parseHrisFaults(`${vendor}:500:10`));
    const down = await act(vendor, 'hire', person);
    expect(down.status).toBe(503);
    e2e.cloud.hris.faults.setFor(vendor, parseHrisFaults(`${vendor}:429:1:60`));
    const throttled = await deliver(e2e.frontDoor, down.delivery);
    expect(throttled.status).toBe(503);
    expect(await accessOf(person.id, person.email)).toMatchObject({ users: 0, activeGrants: 0, auditEntries: 0 });
    e2e.cloud.hris.faults.setFor(vendor, []);
    const redelivered = await deliver(e2e.frontDoor, down.delivery);
    expect(redelivered.status).toBe(202);
    const { deliveryId } = JSON.parse(redelivered.body) as { deliveryId: string };
    expect((await finishedExecution(e2e.sfn, 'joiner', deliveryId, 90_000)).status).toBe('SUCCEEDED');
    expect(await executionsNamed(e2e.sfn, 'joiner', deliveryId)).toBe(1);

    const other = newPerson(vendor);
    const good = e2e.cloud.hris.credentials();
    e2e.cloud.hris.revokeCredentials(vendor);
    try {
      const refused = await act(vendor, 'hire', other);
      expect(refused.status).toBe(500);
      expect(await accessOf(other.id, other.email)).toMatchObject({ users: 0, activeGrants: 0, auditEntries: 0 });
    } finally {
      e2e.cloud.hris.restoreCredentials(vendor, good);
    }
  });
});
