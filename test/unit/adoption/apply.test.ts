import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adoptionId, applyAdoption, type ApplyAdoptionDeps } from '#lib/domain/adoption/apply';
import type { AdoptionInventory, IdentityUser, ManagedPerson } from '#lib/domain/adoption/inventory';
import { planAdoption } from '#lib/domain/adoption/plan';
import type { AdoptedEmployee } from '#lib/domain/adoption/ports';
import { loadCatalogue } from '#lib/domain/catalogue/load';
import type { EmployeeEvent } from '#lib/domain/events/employee-events';
import type { NewGrantItem } from '#lib/domain/grants/item';
import { FakeClock, MemoryAudit } from '../joiner/fakes.ts';

/**
 * Applying an adoption plan: keyed by person and entitlement, so a crash halfway and a second
 * apply change none of the counts and write nothing twice (issue #14).
 */
const ref = loadCatalogue(readFileSync('config/role-catalogue.json', 'utf8'), 'config/role-catalogue.json');

class World {
  readonly clock = new FakeClock();
  readonly audit = new MemoryAudit(this.clock);
  readonly employees = new Map<string, AdoptedEmployee>();
  readonly grants = new Map<string, NewGrantItem>();
  readonly published: EmployeeEvent[] = [];
  readonly removed: string[] = [];
  /** Employee ids whose employees-item write fails once (a crash before the commit). */
  readonly failOnce = new Set<string>();

  deps(): ApplyAdoptionDeps {
    return {
      clock: this.clock,
      audit: this.audit,
      employees: {
        recordAdopted: (adopted) => {
          const id = adopted.employee.employeeId;
          if (this.failOnce.delete(id)) return Promise.reject(new Error(`crash while recording ${id}`));
          if (this.employees.has(id)) return Promise.resolve('exists');
          this.employees.set(id, adopted);
          return Promise.resolve('written');
        },
      },
      grants: {
        putIfAbsent: (item) => {
          const key = `${item.employeeId}/${item.grantKey}`;
          if (this.grants.has(key)) return Promise.resolve(false);
          this.grants.set(key, item);
          return Promise.resolve(true);
        },
      },
      hires: {
        publish: (events) => {
          this.published.push(...events);
          return Promise.resolve();
        },
      },
      memberships: { removeMembership: (id) => (this.removed.push(id), Promise.resolve('undone' as const)) },
    };
  }

  managed(): ManagedPerson[] {
    const hired = this.published.flatMap((event) => (event.type === 'employee.hired' ? [{ employeeId: event.employee.employeeId, status: 'active' }] : []));
    return [...[...this.employees.values()].map((a) => ({ employeeId: a.employee.employeeId, status: 'active', identityUserId: a.userId })), ...hired];
  }
}

const users: IdentityUser[] = Array.from({ length: 6 }, (_, i) => ({
  userId: `u-${i}`,
  userName: `e${i}@example.com`,
  emails: [`e${i}@example.com`],
  memberships: [
    { membershipId: `m-${i}-all`, groupId: 'g-all', groupName: 'AllStaff' },
    { membershipId: `m-${i}-fin`, groupId: 'g-fin', groupName: 'Finance' },
  ],
}));
const inventory = (managed: ManagedPerson[]): AdoptionInventory => ({
  source: 'bamboohr',
  roster: Array.from({ length: 8 }, (_, i) => ({
    ok: true as const,
    record: { employeeId: `E${i}`, email: `e${i}@example.com`, firstName: 'Pat', lastName: `No${i}`, role: 'sales', employmentType: 'employee' as const, startDate: '2024-01-01' },
  })),
  users,
  instances: [],
  managed,
});

describe('applyAdoption', () => {
  it('adopts, records grants, audits adoption (not hire) and sends one hire per person without a user', async () => {
    const world = new World();
    const plan = planAdoption(inventory([]), ref);
    expect(plan.counts).toMatchObject({ adopt: 6, create: 2, grants: 6, missing: 6, extras: 6 });

    const result = await applyAdoption(world.deps(), plan, { operator: 'ops@example.com', revokeExtras: false });

    expect(result).toEqual({ adopted: 6, alreadyAdopted: 0, grantsRecorded: 6, grantsAlreadyRecorded: 0, extrasRevoked: 0, extrasAlreadyGone: 0, hiresPublished: 2 });
    expect(world.audit.kinds('E0')).toEqual(['grant.applied', 'identity.adopted']);
    const adopted = world.audit.entries.find((entry) => entry.subject === 'E0' && entry.kind === 'identity.adopted');
    expect(adopted).toMatchObject({ actor: 'operator:ops@example.com', requestId: 'adopt-E0', detail: { userId: 'u-0', matchedBy: 'email', role: 'sales', fingerprint: plan.fingerprint } });
    expect(world.grants.get('E0/group:AllStaff#role#sales')).toMatchObject({ membershipId: 'm-0-all', userId: 'u-0', approvedBy: ['adopted'], requestId: 'adopt-E0' });
    expect(world.published.map((event) => event.deliveryId)).toEqual([adoptionId('E6'), adoptionId('E7')]);
    expect(world.removed).toEqual([]);
  });

  it('after a crash halfway, the next plan holds only what is left and applying it ends with the same counts and nothing twice', async () => {
    const world = new World();
    world.failOnce.add('E3');
    const first = planAdoption(inventory([]), ref);
    await expect(applyAdoption(world.deps(), first, { operator: 'ops', revokeExtras: false, concurrency: 1 })).rejects.toThrow(/crash while recording E3/);

    const again = planAdoption(inventory(world.managed()), ref);
    expect(again.counts.adopt).toBe(3); // E3 (its grants and audit already written) and the two never reached
    const result = await applyAdoption(world.deps(), again, { operator: 'ops', revokeExtras: false, concurrency: 1 });

    expect(result).toMatchObject({ adopted: 3, grantsRecorded: 2, grantsAlreadyRecorded: 1, hiresPublished: 2 });
    expect(world.employees.size).toBe(6);
    expect(world.grants.size).toBe(6);
    for (let i = 0; i < 6; i += 1) expect(world.audit.kinds(`E${i}`)).toEqual(['grant.applied', 'identity.adopted']);
    const last = planAdoption(inventory(world.managed()), ref);
    expect(last.counts).toMatchObject({ adopt: 0, create: 0, managed: 8, orphans: 0 });
    expect(await applyAdoption(world.deps(), last, { operator: 'ops', revokeExtras: false })).toEqual({
      adopted: 0, alreadyAdopted: 0, grantsRecorded: 0, grantsAlreadyRecorded: 0, extrasRevoked: 0, extrasAlreadyGone: 0, hiresPublished: 0,
    });
  });

  it('removes extras only with revokeExtras, audited as grant.revoked by adoption', async () => {
    const world = new World();
    const plan = planAdoption(inventory([]), ref);

    const result = await applyAdoption(world.deps(), plan, { operator: 'ops', revokeExtras: true });

    expect(result.extrasRevoked).toBe(6);
    expect(world.removed.sort()).toEqual(users.map((u) => `m-${u.userId.slice(2)}-fin`).sort());
    const revoked = world.audit.entries.find((entry) => entry.subject === 'E1' && entry.kind === 'grant.revoked');
    expect(revoked).toMatchObject({ entitlementId: 'group:Finance', detail: { trigger: 'adoption', resourceId: 'm-1-fin' } });
  });
});
