import type { LocalPerson } from './people.ts';

/**
 * Each vendor's rendering of a person, as its REST API documents it (see docs/hris.md for
 * the sources). Independent of the clients in functions/lib/adapters/hris: written from
 * the vendors' documents, so a client that reads a field the vendor does not send fails here.
 */

/** Bob: nested objects per category; `humanReadable: "APPEND"` adds labels for list fields. */
export function hibobPerson(person: LocalPerson, humanReadable: string | undefined): Record<string, unknown> {
  const listId = (label: string | undefined): string | undefined => (label === undefined ? undefined : `list-${Buffer.from(label).toString('hex').slice(0, 12)}`);
  const machine = humanReadable !== 'REPLACE';
  const employmentType = person.employmentType === 'contractor' ? 'Contractor' : 'Permanent';
  const body: Record<string, unknown> = {
    id: person.id,
    firstName: person.firstName,
    surname: person.lastName,
    email: person.email,
    work: {
      title: machine ? listId(person.title) : person.title,
      department: machine ? listId(person.department) : person.department,
      startDate: person.startDate,
      reportsTo: person.managerId === undefined ? null : { id: person.managerId, email: person.managerEmail },
      custom: { gatehouseRole: person.gatehouseRole ?? null, contractEndDate: person.endDate ?? null },
    },
    payroll: { employment: { type: machine ? listId(employmentType) : employmentType } },
    internal: { status: person.status === 'active' ? 'Active' : 'Inactive', terminationDate: person.terminationDate ?? null },
  };
  if (humanReadable === 'APPEND') {
    body.humanReadable = { work: { title: person.title, department: person.department }, payroll: { employment: { type: employmentType } } };
  }
  return body;
}

/** BambooHR: flat, every value a string (or null), keyed by the field name or alias asked for. */
export function bamboohrEmployee(person: LocalPerson, fields: readonly string[]): Record<string, string | null> {
  const all: Record<string, string | null> = {
    id: person.id,
    firstName: person.firstName,
    lastName: person.lastName,
    workEmail: person.email,
    jobTitle: person.title,
    customGatehouseRole: person.gatehouseRole ?? null,
    department: person.department ?? null,
    supervisorEId: person.managerId ?? null,
    supervisorEmail: person.managerEmail ?? null,
    employmentHistoryStatus: person.status === 'terminated' ? 'Terminated' : person.employmentType === 'contractor' ? 'Contractor' : 'Full-Time',
    status: person.status === 'active' ? 'Active' : 'Inactive',
    hireDate: person.startDate,
    customContractEndDate: person.endDate ?? '0000-00-00',
    terminationDate: person.terminationDate ?? '0000-00-00',
  };
  const out: Record<string, string | null> = { id: person.id };
  // Unknown or unauthorized fields are silently left out, as BambooHR does.
  for (const field of fields) if (Object.hasOwn(all, field)) out[field] = all[field] ?? null;
  return out;
}

/** Personio v2: a person, and its employments (one here), most recent first. */
export function personioPerson(person: LocalPerson): Record<string, unknown> {
  return {
    id: person.id,
    first_name: person.firstName,
    last_name: person.lastName,
    email: person.email,
    custom_attributes: person.gatehouseRole === undefined ? [] : [{ id: 'dynamic_1001', label: 'Gatehouse Role', type: 'string', value: person.gatehouseRole }],
    employments: [{ id: employmentId(person) }],
  };
}

export const employmentId = (person: LocalPerson): string => `emp-${person.id}`;

export function personioEmployment(person: LocalPerson): Record<string, unknown> {
  return {
    id: employmentId(person),
    status: person.status === 'terminated' ? 'INACTIVE' : 'ACTIVE',
    type: person.employmentType === 'contractor' ? 'EXTERNAL' : 'INTERNAL',
    position: { title: person.title },
    supervisor: person.managerId === undefined ? null : { id: person.managerId },
    start_date: person.startDate,
    termination_date: person.terminationDate ?? person.endDate ?? null,
  };
}
