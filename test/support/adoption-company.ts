import type { AdoptionInventory, IdentityUser, RosterRow } from '../../functions/lib/domain/adoption/inventory.ts';

/**
 * An existing company for adoption's scenario (issue #14), as plain data that a unit test turns into
 * an inventory and an e2e test or the bench seeds into the local HRIS and Identity Store. `people`
 * HRIS people (role sales: AllStaff + Sales), the first `existing` with a user holding exactly those
 * groups, the first `extras` of those also in Finance (a membership no rule justifies); besides them,
 * `ambiguous` more HRIS people whose address two users hold (nobody gets either), and `orphans`
 * users matching nobody.
 */
export interface CompanyShape {
  people: number;
  existing: number;
  extras: number;
  orphans: number;
  ambiguous: number;
}

export const ISSUE_COMPANY: CompanyShape = { people: 2_000, existing: 1_500, extras: 200, orphans: 20, ambiguous: 5 };

export interface CompanyPerson {
  id: string;
  email: string;
}

export interface CompanyUser {
  key: string;
  userName: string;
  emails: string[];
  groups: string[];
}

export interface Company {
  /** Everyone in the HRIS (the ambiguous people included). */
  roster: CompanyPerson[];
  users: CompanyUser[];
}

const pad = (n: number) => String(n).padStart(5, '0');

export function company(shape: CompanyShape, tag = 'C'): Company {
  const roster: CompanyPerson[] = [];
  const users: CompanyUser[] = [];
  for (let i = 0; i < shape.people; i++) {
    const person = { id: `${tag}${pad(i)}`, email: `${tag.toLowerCase()}${pad(i)}@example.com` };
    roster.push(person);
    if (i < shape.existing) users.push({ key: person.id, userName: person.email, emails: [person.email], groups: ['AllStaff', 'Sales', ...(i < shape.extras ? ['Finance'] : [])] });
  }
  for (let k = 0; k < shape.ambiguous; k++) {
    const email = `${tag.toLowerCase()}-shared${k}@example.com`;
    roster.push({ id: `${tag}A${k}`, email });
    users.push({ key: `amb${k}a`, userName: email, emails: [email], groups: ['AllStaff'] });
    users.push({ key: `amb${k}b`, userName: `${tag.toLowerCase()}-shared${k}.alt@example.com`, emails: [email.toUpperCase()], groups: ['AllStaff'] });
  }
  for (let k = 0; k < shape.orphans; k++) {
    const gone = `${tag.toLowerCase()}-gone${k}@example.com`;
    users.push({ key: `orphan${k}`, userName: gone, emails: [gone], groups: ['AllStaff'] });
  }
  return { roster, users };
}

/** The company as adoption's planner reads it (users with ids u-<key>, memberships m-<key>-<group>). */
export function companyInventory({ roster, users }: Company): AdoptionInventory {
  const rows: RosterRow[] = roster.map((p) => ({
    ok: true,
    record: { employeeId: p.id, email: p.email, firstName: 'Pat', lastName: p.id, role: 'sales', employmentType: 'employee', startDate: '2024-01-01' },
  }));
  const identity: IdentityUser[] = users.map((u) => ({
    userId: `u-${u.key}`,
    userName: u.userName,
    emails: u.emails,
    memberships: u.groups.map((g) => ({ membershipId: `m-${u.key}-${g}`, groupId: `g-${g}`, groupName: g })),
  }));
  return { source: 'hibob', roster: rows, users: identity, instances: [], managed: [] };
}
