import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { ConvergenceEmployee, ConvergenceStore } from '../../../domain/convergence/converge.ts';
import { employeeItemOf, scanEmployeeItems } from './item.ts';
import { activeGrantItems, grantItemsOf } from '../grants.ts';

/**
 * Catalogue convergence's reads of the employees and grants tables: the whole company (Scan,
 * consistent, every page), one parallel-Scan segment of it, or one person. Read-only: what
 * convergence writes goes through the request, audit and grant adapters the other workflows use.
 */

const text = z.string().optional();
const employeeRowSchema = z.looseObject({
  employeeId: z.string().min(1),
  status: text,
  role: text,
  email: text,
  managerEmail: text,
  managerId: text,
  employmentType: z.enum(['employee', 'contractor']).optional(),
  startDate: text,
  identityUserId: text,
});

function rowOf(item: Record<string, unknown>): ConvergenceEmployee {
  const row = employeeRowSchema.parse(item);
  const picked = { status: row.status, role: row.role, email: row.email, managerEmail: row.managerEmail, managerId: row.managerId, employmentType: row.employmentType, startDate: row.startDate, identityUserId: row.identityUserId };
  return { employeeId: row.employeeId, ...Object.fromEntries(Object.entries(picked).filter(([, value]) => value !== undefined)) };
}

export function createConvergenceStore(options: { client: DynamoDBDocumentClient; employeesTable: string; grantsTable: string }): ConvergenceStore {
  const employees = { client: options.client, tableName: options.employeesTable };
  const grants = { client: options.client, tableName: options.grantsTable };
  return {
    async *employees(part) {
      for (const item of await scanEmployeeItems(employees, part)) yield rowOf(item);
    },
    async employee(employeeId) {
      const item = await employeeItemOf(employees, employeeId);
      return item ? rowOf(item) : undefined;
    },
    async *allActiveGrants() {
      yield* await activeGrantItems(grants);
    },
    async activeGrants(employeeId) {
      return (await grantItemsOf(grants, employeeId)).filter((item) => item.status === 'active');
    },
  };
}
