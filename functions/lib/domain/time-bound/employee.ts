import { z } from 'zod';
import { employeeIdSchema, employeeSchema, type Employee } from '../events/employee-events.ts';

export const employeeRecordSchema = z.looseObject({
  employeeId: employeeIdSchema,
  status: z.string(),
  email: z.string().min(3),
  role: employeeSchema.shape.role,
  employmentType: employeeSchema.shape.employmentType,
  startDate: z.string(),
  managerEmail: z.string().optional(),
  managerId: z.string().optional(),
  department: z.string().optional(),
});
export type EmployeeRecord = z.infer<typeof employeeRecordSchema>;

export interface EmployeeLookup {
  /** The employee whose work e-mail this is (case-insensitive); undefined when none. */
  byEmail(email: string): Promise<EmployeeRecord | undefined>;
  get(employeeId: string): Promise<EmployeeRecord | undefined>;
  /** "Ada Lovelace" as the person's newest request names them, else undefined. */
  displayNameOf(employeeId: string): Promise<string | undefined>;
}

/** The subject as policy and provisioning read it; names come from the display name (the table keeps none). */
export function asEmployee(record: EmployeeRecord, displayName: string | undefined): Employee {
  const [first, ...rest] = (displayName ?? record.employeeId).split(/\s+/);
  return employeeSchema.parse({
    employeeId: record.employeeId,
    email: record.email,
    firstName: (first ?? record.employeeId).slice(0, 100),
    lastName: (rest.join(' ') || '-').slice(0, 100),
    role: record.role,
    employmentType: record.employmentType,
    startDate: record.startDate,
    ...(record.managerEmail ? { managerEmail: record.managerEmail } : {}),
    ...(record.managerId ? { managerId: record.managerId } : {}),
  });
}
