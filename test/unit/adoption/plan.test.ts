import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '#lib/domain/catalogue/load';
import { planAdoption } from '#lib/domain/adoption/plan';
import type { AdoptionInventory, IdentityUser, RosterRow } from '#lib/domain/adoption/inventory';
import type { DirectoryEmployee } from '#lib/domain/hris/types';

/** The adoption planner (issue #14) over the shipped catalogue: engineer = AllStaff + Engineering + ProdReadOnly + workstation:dev-arm. */
const ref = loadCatalogue(readFileSync('config/role-catalogue.json', 'utf8'), 'config/role-catalogue.json');

const person = (id: string, overrides: Partial<DirectoryEmployee> = {}): DirectoryEmployee => ({
  employeeId: id,
  email: `${id.toLowerCase()}@example.com`,
  firstName: 'Pat',
  lastName: id,
  role: 'engineer',
  employmentType: 'employee',
  startDate: '2024-01-02',
  ...overrides,
});
const row = (record: DirectoryEmployee): RosterRow => ({ ok: true, record });
let next = 0;
const user = (userName: string, groups: string[] = [], extra: Partial<IdentityUser> = {}): IdentityUser => {
  next += 1;
  const userId = `u-${String(next).padStart(4, '0')}`;
  return { userId, userName, emails: [userName], memberships: groups.map((groupName) => ({ membershipId: `m-${userId}-${groupName}`, groupId: `g-${groupName}`, groupName })), ...extra };
};
const inventory = (roster: DirectoryEmployee[], users: IdentityUser[], extra: Partial<AdoptionInventory> = {}): AdoptionInventory => ({
  source: 'hibob',
  roster: roster.map(row),
  users,
  instances: [],
  managed: [],
  ...extra,
});

describe('planAdoption', () => {
  it('adopts a user matched by e-mail ignoring case, records what the role grants and reports the rest', () => {
    const alice = user('Alice@Example.com', ['AllStaff', 'Engineering', 'Finance']);
    const plan = planAdoption(inventory([person('E1', { email: 'alice@example.COM' })], [alice]), ref);

    expect(plan.adopt).toHaveLength(1);
    const [adoption] = plan.adopt;
    expect(adoption).toMatchObject({ employeeId: 'E1', userId: alice.userId, matchedBy: 'email' });
    expect(adoption?.grants.map((g) => g.entitlementId)).toEqual(['group:AllStaff', 'group:Engineering']);
    expect(adoption?.grants[0]?.resourceId).toBe(`m-${alice.userId}-AllStaff`);
    expect(adoption?.missing).toEqual(['group:ProdReadOnly', 'workstation:dev-arm']);
    expect(adoption?.extras.map((m) => m.groupName)).toEqual(['Finance']);
    expect(plan.counts).toMatchObject({ adopt: 1, create: 0, grants: 2, missing: 2, extras: 1, orphans: 0 });
  });

  it('prefers the employee-number link over an e-mail, and never takes a user linked to someone else', () => {
    const linked = user('old-address@example.com', [], { employeeNumber: 'E1' });
    const byEmail = user('e1@example.com');
    const someoneElses = user('e2@example.com', [], { employeeNumber: 'E9' });
    const plan = planAdoption(inventory([person('E1'), person('E2')], [linked, byEmail, someoneElses]), ref);

    expect(plan.adopt.map((a) => [a.employeeId, a.userId, a.matchedBy])).toEqual([['E1', linked.userId, 'employee-number']]);
    expect(plan.ambiguous).toEqual([expect.objectContaining({ employeeIds: ['E2'], userIds: [someoneElses.userId], why: expect.stringContaining('linked to employee E9') })]);
    // The unlinked user with E1's address belongs to nobody now; the one linked to E9 is E9's (not in the roster): both orphans.
    expect(plan.orphans.map((o) => o.userId).sort()).toEqual([byEmail.userId, someoneElses.userId].sort());
    expect(plan.create).toEqual([]);
  });

  it('reports two users with one address, and two HRIS people with one address, as ambiguous and adopts neither', () => {
    const first = user('dup@example.com');
    const second = user('other@example.com', [], { emails: ['other@example.com', 'DUP@example.com'] });
    const shared = user('shared@example.com');
    const plan = planAdoption(
      inventory([person('E1', { email: 'dup@example.com' }), person('E2', { email: 'shared@example.com' }), person('E3', { email: 'Shared@example.com' })], [first, second, shared]),
      ref,
    );

    expect(plan.adopt).toEqual([]);
    expect(plan.create).toEqual([]);
    expect(plan.ambiguous).toHaveLength(2);
    expect(plan.ambiguous[0]).toMatchObject({ employeeIds: ['E1'], userIds: [first.userId, second.userId] });
    expect(plan.ambiguous[1]).toMatchObject({ employeeIds: ['E2', 'E3'], userIds: [shared.userId] });
    // Ambiguous users are claimed (not orphans): a person must decide, not a cleanup.
    expect(plan.orphans).toEqual([]);
  });

  it('leaves out both rows of a duplicated employee id and names the problem', () => {
    const plan = planAdoption(inventory([person('E1'), person('E1', { email: 'twin@example.com' }), person('E2')], []), ref);

    expect(plan.invalid).toEqual([{ employeeId: 'E1', problem: 'the roster lists employee id E1 2 times' }]);
    expect(plan.create.map((c) => c.employeeId)).toEqual(['E2']);
  });

  it('does not adopt a person terminated in the HRIS who is still active in Identity Center, and does not call the user an orphan', () => {
    const gone = user('gone@example.com', ['AllStaff']);
    const plan = planAdoption(inventory([person('E7', { email: 'gone@example.com', terminated: true }), person('E8', { terminated: true })], [gone]), ref);

    expect(plan.terminated).toEqual([{ employeeId: 'E7', userId: gone.userId }]);
    expect(plan.adopt).toEqual([]);
    expect(plan.create).toEqual([]);
    expect(plan.orphans).toEqual([]);
  });

  it('reports people whose role no rule decides, hires people with no user, and lists users matching nobody', () => {
    const stranger = user('contractor-from-2019@example.com');
    const undecidedUser = user('e3@example.com');
    const plan = planAdoption(
      inventory([person('E2'), person('E3', { role: undefined, attributes: { jobTitle: 'Chief Vibes Officer' } }), person('E4', { role: undefined, attributes: { jobTitle: 'Data Scientist' } })], [stranger, undecidedUser]),
      ref,
    );

    expect(plan.create.map((c) => [c.employeeId, c.employee.role, c.employee.assignment?.source])).toEqual([
      ['E2', 'engineer', 'hris'],
      ['E4', 'data-scientist', 'rule'],
    ]);
    expect(plan.undecided).toEqual([{ employeeId: 'E3', userId: undecidedUser.userId, why: expect.stringContaining('no assignment rule matches') }]);
    expect(plan.orphans).toEqual([{ userId: stranger.userId, userName: stranger.userName }]);
  });

  it('skips people Gatehouse manages already, and their recorded user is no orphan', () => {
    const managedUser = user('e1@example.com', ['AllStaff']);
    const plan = planAdoption(inventory([person('E1')], [managedUser], { managed: [{ employeeId: 'E1', status: 'active', identityUserId: managedUser.userId }] }), ref);

    expect(plan.counts).toMatchObject({ adopt: 0, create: 0, managed: 1, orphans: 0 });
  });

  it('records a tagged workstation the role grants, and gives the same fingerprint for the same inventory in any order', () => {
    const a = user('e1@example.com', ['AllStaff', 'Engineering', 'ProdReadOnly']);
    const b = user('e2@example.com', ['AllStaff']);
    const instances = [{ instanceId: 'i-0abc', employeeId: 'E1', entitlementId: 'workstation:dev-arm', state: 'running' }];
    const one = planAdoption(inventory([person('E1'), person('E2')], [a, b], { instances }), ref);
    const two = planAdoption(inventory([person('E2'), person('E1')], [b, a], { instances }), ref);

    expect(one.adopt[0]?.grants.map((g) => [g.entitlementId, g.resourceId])).toContainEqual(['workstation:dev-arm', 'i-0abc']);
    expect(one.adopt[0]?.missing).toEqual([]);
    expect(one.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(two.fingerprint).toBe(one.fingerprint);
    const changed = planAdoption(inventory([person('E1'), person('E2', { role: 'sales' })], [a, b], { instances }), ref);
    expect(changed.fingerprint).not.toBe(one.fingerprint);
  });
});
