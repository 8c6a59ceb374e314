import type { EmployeeChanged } from '#lib/domain/events/employee-events';
import type { EmployeeChange, GrantItemView, KnownEmployee, MoveStore } from '#lib/adapters/dynamodb/employees-mover';

/** In-memory mover store keeping the conditions the DynamoDB adapter writes. */
export class MemoryMoveStore implements MoveStore {
  readonly employees = new Map<string, KnownEmployee & { hrisOccurredAt?: string }>();
  readonly grants: (GrantItemView & { employeeId: string })[] = [];

  employee(employeeId: string): Promise<KnownEmployee | undefined> {
    const found = this.employees.get(employeeId);
    return Promise.resolve(found ? { ...(found.status ? { status: found.status } : {}), ...(found.role ? { role: found.role } : {}) } : undefined);
  }

  activeGrants(employeeId: string): Promise<GrantItemView[]> {
    return Promise.resolve(this.grants.filter((item) => item.employeeId === employeeId && item.status === 'active').map((item) => ({ ...item })));
  }

  recordChange(change: EmployeeChange): Promise<'written' | 'stale'> {
    const current = this.employees.get(change.employee.employeeId);
    const at = new Date(change.occurredAt).toISOString();
    if (!current || current.status === 'left' || (current.hrisOccurredAt !== undefined && current.hrisOccurredAt > at)) return Promise.resolve('stale');
    this.employees.set(change.employee.employeeId, { ...current, role: change.employee.role, hrisOccurredAt: at });
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
  grantRole(employeeId: string, roleId: string, entitlementIds: string[], resources: Partial<Record<string, Pick<GrantItemView, 'membershipId' | 'instanceId' | 'volumeId'>>> = {}): void {
    for (const entitlementId of entitlementIds) {
      this.grants.push({ employeeId, grantKey: `${entitlementId}#role#${roleId}`, entitlementId, source: `role:${roleId}`, status: 'active', ...resources[entitlementId] });
    }
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
