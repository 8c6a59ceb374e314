import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { callAws } from '../../aws/call-aws.ts';
import { scanAll } from '../pages.ts';
import type { EmployeeFacts } from '../../../domain/ordering/person-facts.ts';
import { PROFILE_FACTS } from '../../../domain/ordering/merge.ts';

/**
 * The `employees` table as every workflow reads and writes it: one consistent read of a
 * person's item, and the update an HRIS event (hire, role change) makes. The joiner creates
 * the item; the mover, leaver and time-bound access read it.
 */

/** The person's item, raw (the caller parses what it reads); undefined when Gatehouse does not know them. */
export async function employeeItemOf(
  table: { client: Pick<DynamoDBDocumentClient, 'send'>; tableName: string },
  employeeId: string,
): Promise<Record<string, unknown> | undefined> {
  const out = await callAws('reading the employee', () => table.client.send(new GetCommand({ TableName: table.tableName, Key: { employeeId }, ConsistentRead: true })));
  return out.Item;
}

/**
 * Every item of the table, raw (consistent reads, every page): all of it, or one segment of a
 * parallel Scan (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan),
 * which DynamoDB keeps stable for a table that does not change, so a workflow can fan out by segment.
 */
export async function scanEmployeeItems(
  table: { client: Pick<DynamoDBDocumentClient, 'send'>; tableName: string },
  part?: { segment: number; totalSegments: number },
): Promise<Record<string, unknown>[]> {
  return scanAll(table.client, { TableName: table.tableName, ConsistentRead: true, ...(part ? { Segment: part.segment, TotalSegments: part.totalSegments } : {}) }, 'scanning employees');
}

const OPTIONAL = ['managerEmail', 'managerId', 'department', 'endDate'] as const;

export interface EmployeeUpdate {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * The attribute naming a person's current employment (the time of the hire that began it):
 * upsertHire sets it when absent, markLeft removes it, so a rehire after a leave starts a new
 * generation. EC2 client tokens are derived from it (one workstation per person, profile and generation).
 */
export const EMPLOYED_SINCE = 'employedSince';

/**
 * The employees-table update that records a whole person at once (adoption: an item written only
 * when absent): `extra` and the HRIS fields are SET, optional fields the employee leaves out are
 * REMOVEd, and every fact's time is the event's (merge.ts `factAt`), so later HRIS events merge
 * into it per fact. Each attribute is `#<name>` / `:<name>`.
 */
export function employeeUpdate(facts: EmployeeFacts, extra: Record<string, string> = {}): EmployeeUpdate {
  const { employee, occurredAt, requestId, at } = facts;
  const occurred = new Date(occurredAt).toISOString();
  const set: Record<string, unknown> = {
    ...extra,
    role: employee.role,
    email: employee.email,
    firstName: employee.firstName,
    lastName: employee.lastName,
    factAt: Object.fromEntries(PROFILE_FACTS.map((name) => [name, occurred])),
    // The person's name as the HRIS spells it, for people-facing pages (console People, Reviews).
    displayName: `${employee.firstName} ${employee.lastName}`,
    // The byEmail index key: callers of authenticated routes are found by their e-mail, case-insensitively.
    emailLower: employee.email.toLowerCase(),
    employmentType: employee.employmentType,
    hrisOccurredAt: occurred,
    lastRequestId: requestId,
    updatedAt: at,
  };
  for (const key of OPTIONAL) if (employee[key] !== undefined) set[key] = employee[key];
  const removed = OPTIONAL.filter((key) => employee[key] === undefined);
  return {
    UpdateExpression:
      `SET ${Object.keys(set).map((key) => `#${key} = :${key}`).join(', ')}` +
      (removed.length > 0 ? ` REMOVE ${removed.map((key) => `#${key}`).join(', ')}` : ''),
    ExpressionAttributeNames: Object.fromEntries([...Object.keys(set), ...removed].map((key) => [`#${key}`, key])),
    ExpressionAttributeValues: Object.fromEntries(Object.entries(set).map(([key, value]) => [`:${key}`, value])),
  };
}

