/**
 * BambooHR field names. Field-based webhooks post BambooHR's English field names by
 * default ("Job Title") or an alias the admin chose; event-based webhooks list API
 * aliases ("jobTitle") in `changedFields`. We accept the English name and the API alias
 * of each field we read (assumption: admins who rename fields rename them to the API
 * alias). "Gatehouse Role" / `customGatehouseRole` is a custom field that operators
 * create to hold the catalogue role id directly; it wins over the catalogue's assignment rules,
 * which otherwise pick the role from job title, department, location and employment status.
 */
export const BAMBOOHR_FIELDS = {
  firstName: ['First Name', 'firstName'],
  lastName: ['Last Name', 'lastName'],
  workEmail: ['Work Email', 'workEmail'],
  jobTitle: ['Job Title', 'jobTitle'],
  gatehouseRole: ['Gatehouse Role', 'customGatehouseRole'],
  department: ['Department', 'department'],
  location: ['Location', 'location'],
  supervisor: ['Reporting to', 'supervisor'],
  supervisorId: ['Supervisor EID', 'supervisorEId'],
  supervisorEmail: ['Supervisor Email', 'supervisorEmail'],
  employmentStatus: ['Employment Status', 'employmentHistoryStatus'],
  status: ['Status', 'status'],
  hireDate: ['Hire Date', 'hireDate'],
  contractEndDate: ['Contract End Date', 'customContractEndDate'],
} as const satisfies Record<string, readonly string[]>;
export type BambooField = keyof typeof BAMBOOHR_FIELDS;

/** Changes to these fields can change access; a change to any other field is ignored. */
export const ACCESS_FIELDS: ReadonlySet<BambooField> = new Set<BambooField>([
  'jobTitle', 'gatehouseRole', 'department', 'location', 'supervisor', 'supervisorId', 'supervisorEmail',
  'employmentStatus', 'status', 'contractEndDate',
]);

/** "Employment Status" values; "Terminated" means a leave. */
export const EMPLOYMENT_STATUSES: Readonly<Record<string, 'employee' | 'contractor' | 'terminated'>> = {
  'Full-Time': 'employee',
  'Part-Time': 'employee',
  Intern: 'employee',
  Temporary: 'employee',
  Contractor: 'contractor',
  Terminated: 'terminated',
};

export function fieldFromName(name: string): BambooField | undefined {
  const entries = Object.entries(BAMBOOHR_FIELDS) as [BambooField, readonly string[]][];
  return entries.find(([, names]) => names.includes(name))?.[0];
}
