import type { Employee } from '#lib/domain/events/employee-events';
import type { Entitlement } from '#lib/domain/catalogue/schema';

type GroupEntitlement = Extract<Entitlement, { kind: 'group' }>;
type WorkstationEntitlement = Extract<Entitlement, { kind: 'workstation' }>;
type AccountAssignmentEntitlement = Extract<Entitlement, { kind: 'account-assignment' }>;

export function anEmployee(overrides: Partial<Employee> = {}): Employee {
  return {
    employeeId: 'E1001',
    email: 'ana.silva@example.com',
    firstName: 'Ana',
    lastName: 'Silva',
    role: 'engineer',
    managerId: 'E0042',
    managerEmail: 'maya.chen@example.com',
    employmentType: 'employee',
    startDate: '2025-03-03',
    ...overrides,
  };
}

export function aGroup(displayName: string, overrides: Partial<Omit<GroupEntitlement, 'kind' | 'displayName'>> = {}): GroupEntitlement {
  return {
    id: `group:${displayName}`,
    kind: 'group',
    displayName,
    description: `${displayName} group`,
    risk: 'low',
    ownerGroupEmail: 'it-access@example.com',
    ...overrides,
  };
}

export function aWorkstation(
  profile: string,
  overrides: Partial<Omit<WorkstationEntitlement, 'kind' | 'profile'>> = {},
): WorkstationEntitlement {
  return {
    id: `workstation:${profile}`,
    kind: 'workstation',
    profile,
    description: `${profile} workstation`,
    risk: 'low',
    ownerGroupEmail: 'platform-owners@example.com',
    instanceType: 'm7g.large',
    amiParameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    volumeSizeGiB: 50,
    ...overrides,
  };
}

export function anAccountAssignment(
  name: string,
  overrides: Partial<Omit<AccountAssignmentEntitlement, 'kind' | 'name'>> = {},
): AccountAssignmentEntitlement {
  return {
    id: `account-assignment:${name}`,
    kind: 'account-assignment',
    name,
    description: `${name} permission set`,
    risk: 'high',
    ownerGroupEmail: 'platform-owners@example.com',
    maxTimeBoundDuration: 'PT4H',
    permissionSet: 'AdministratorAccess',
    accountIds: ['111122223333'],
    ...overrides,
  };
}

/** A small valid catalogue document (JSON shape), to be broken one field at a time. */
export function aCatalogueDocument(): {
  version: 1;
  birthright: string[];
  entitlements: Entitlement[];
  roles: { id: string; displayName: string; entitlements: string[] }[];
} {
  return {
    version: 1,
    birthright: ['group:AllStaff'],
    entitlements: [
      aGroup('AllStaff'),
      aGroup('Engineering'),
      aGroup('ProdAdmin', { risk: 'high', ownerGroupEmail: 'platform-owners@example.com', maxTimeBoundDuration: 'PT4H' }),
      aWorkstation('dev-arm'),
    ],
    roles: [
      { id: 'engineer', displayName: 'Engineer', entitlements: ['group:Engineering', 'workstation:dev-arm'] },
      { id: 'sre', displayName: 'SRE', entitlements: ['group:Engineering', 'group:ProdAdmin'] },
    ],
  };
}

/** The error `fn` throws; fails the test when it throws nothing. Keeps assertions out of catch blocks. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, got none');
}
