import type { EmployeeChanged } from '#lib/domain/events/employee-events';
import type { IdentityStorePort } from '#lib/domain/provision/ports';
import { IdentityConflictError } from '#lib/domain/identity/identity-conflict';
import type { EmployeeChange, KnownEmployee, MoveStore } from '#lib/domain/mover/ports';
import type { GrantItem } from '#lib/domain/grants/item';

/** In-memory mover store keeping the conditions the DynamoDB adapter writes. */
export class MemoryMoveStore implements MoveStore {
  readonly employees = new Map<string, KnownEmployee>();
  readonly grants: (GrantItem & { employeeId: string })[] = [];

  employee(employeeId: string): Promise<KnownEmployee | undefined> {
    const found = this.employees.get(employeeId);
    if (!found) return Promise.resolve(undefined);
    return Promise.resolve({ ...found });
  }

  activeGrants(employeeId: string): Promise<GrantItem[]> {
    return Promise.resolve(this.grants.filter((item) => item.employeeId === employeeId && item.status === 'active').map((item) => ({ ...item })));
  }

  recordChange(change: EmployeeChange): Promise<'written' | 'stale'> {
    const current = this.employees.get(change.employee.employeeId);
    const at = new Date(change.occurredAt).toISOString();
    if (!current || current.status === 'left' || (current.hrisOccurredAt !== undefined && current.hrisOccurredAt > at)) return Promise.resolve('stale');
    this.employees.set(change.employee.employeeId, { ...current, role: change.employee.role, email: change.employee.email, hrisOccurredAt: at });
    return Promise.resolve('written');
  }

  closeGrant(employeeId: string, grantKey: string, executionName: string): Promise<'closed' | 'already' | 'other'> {
    const item = this.grants.find((candidate) => candidate.employeeId === employeeId && candidate.grantKey === grantKey);
    if (item?.status === 'active') {
      item.status = 'revoked';
      item.revokedBy = executionName;
      return Promise.resolve('closed');
    }
    return Promise.resolve(item?.revokedBy === executionName ? 'already' : 'other');
  }

  /** Role grants as the joiner's Record Grants writes them. */
  grantRole(employeeId: string, roleId: string, entitlementIds: string[], resources: Partial<Record<string, Pick<GrantItem, 'membershipId' | 'instanceId' | 'volumeId'>>> = {}): void {
    for (const entitlementId of entitlementIds) {
      this.grants.push({ employeeId, grantKey: `${entitlementId}#role#${roleId}`, entitlementId, source: `role:${roleId}`, status: 'active', ...resources[entitlementId] });
    }
  }
}

type IdentityUser = { userName: string; emails: string[]; linkedTo?: string; displayName: string; givenName: string; familyName: string };

/** In-memory Identity Store users keeping AWS's rules the mover relies on: unique user names (case-insensitive), links. */
export class MemoryIdentityUsers implements Pick<IdentityStorePort, 'findUserId' | 'updateUserEmail' | 'updateUserNames'> {
  readonly users = new Map<string, IdentityUser>();
  updates = 0;

  /** Named as changeEvent's employee (Sam Mover) unless `names` says otherwise. */
  add(userId: string, userName: string, linkedTo?: string, names: { first: string; last: string } = { first: 'Sam', last: 'Mover' }): void {
    this.users.set(userId, { userName, emails: [userName], ...(linkedTo ? { linkedTo } : {}), displayName: `${names.first} ${names.last}`, givenName: names.first, familyName: names.last });
  }

  updateUserNames(userId: string, firstName: string, lastName: string): Promise<'updated' | 'unchanged' | 'gone'> {
    const user = this.users.get(userId);
    if (!user) return Promise.resolve('gone');
    const displayName = `${firstName} ${lastName}`;
    if (user.displayName === displayName && user.givenName === firstName && user.familyName === lastName) return Promise.resolve('unchanged');
    this.updates += 1;
    this.users.set(userId, { ...user, displayName, givenName: firstName, familyName: lastName });
    return Promise.resolve('updated');
  }

  findUserId(userName: string, employeeId?: string): Promise<string | undefined> {
    const found = [...this.users].find(([, user]) => user.userName.toLowerCase() === userName.toLowerCase());
    if (!found) return Promise.resolve(undefined);
    const [userId, user] = found;
    return Promise.resolve(employeeId === undefined || user.linkedTo === undefined || user.linkedTo === employeeId ? userId : undefined);
  }

  updateUserEmail(userId: string, email: string, employeeId: string): Promise<'updated' | 'gone'> {
    const user = this.users.get(userId);
    if (!user) return Promise.resolve('gone');
    const holder = [...this.users].find(([id, other]) => id !== userId && other.userName.toLowerCase() === email.toLowerCase());
    if (holder) return Promise.reject(new IdentityConflictError(email, employeeId, holder[1].linkedTo ?? 'unlinked'));
    this.updates += 1;
    this.users.set(userId, { ...user, userName: email, emails: [email] });
    return Promise.resolve('updated');
  }
}

export function changeEvent(role: string, overrides: Partial<EmployeeChanged> = {}): EmployeeChanged {
  return {
    type: 'employee.changed',
    deliveryId: 'dlv-move-1',
    source: 'generic',
    occurredAt: '2026-04-01T09:00:00Z',
    ...overrides,
    employee: {
      employeeId: 'E-2001',
      email: 'sam.mover@example.com',
      firstName: 'Sam',
      lastName: 'Mover',
      role,
      managerEmail: 'pat.manager@example.com',
      employmentType: 'employee',
      startDate: '2025-01-06',
      ...overrides.employee,
    },
  };
}

export const MOVE_IDS = { executionId: 'arn:aws:states:us-east-1:000000000000:execution:gatehouse-mover:dlv-move-1', executionName: 'dlv-move-1' };

export const ENGINEER = ['group:AllStaff', 'group:Engineering', 'group:ProdReadOnly', 'workstation:dev-arm'];
