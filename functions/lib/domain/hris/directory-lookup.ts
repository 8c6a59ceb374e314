import { TransientError } from '#lib/domain/shared/errors';
import type { HrisEmployee, HrisSource } from '#lib/domain/events/employee-events';
import { formatPath, invalid, parseWith } from './parse.ts';
import { directoryEmployeeSchema, type DirectoryEmployee, type EmployeeDirectoryPort } from './types.ts';


/**
 * Fetches the full record for a thin payload. Unknown employee -> TransientError: HRIS
 * APIs lag their own webhooks (BambooHR creates, then initialises, a record; HiBob
 * documents read-after-update delays), so the vendor's retry is the right answer.
 * A record that does not fit the schema is a
 * ValidationError naming `directory.<source>["<id>"].<field>`.
 */
export async function fetchEmployee(
  port: EmployeeDirectoryPort,
  source: HrisSource,
  employeeId: string,
): Promise<DirectoryEmployee> {
  const record = await port.getEmployee(source, employeeId);
  if (record === undefined) throw new TransientError(`${source} employee is not in the directory yet`);
  const root = formatPath(`directory.${source}`, [employeeId]);
  const checked = parseWith(directoryEmployeeSchema, record, root);
  if (checked.employeeId !== employeeId) throw invalid(root, ['employeeId'], 'does not match the requested employee');
  return checked;
}

/** The event's employee: the directory record without directory-only fields. */
export function employeeOf(record: DirectoryEmployee): HrisEmployee {
  const employee: DirectoryEmployee = { ...record };
  delete employee.terminated;
  return employee;
}
