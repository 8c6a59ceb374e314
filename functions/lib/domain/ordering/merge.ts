import { employeeSchema, type Employee } from '../events/employee-events.ts';
import type { StaleReason } from './person-facts.ts';

/**
 * Per-fact merge by event time (issue #11). HRIS events arrive in any order, so a person's record
 * keeps, per fact, the event time that last set it, and an event updates only the facts it is
 * newer for. Each fact is a last-writer-wins register ordered by (event time, then the value's
 * canonical text for the equal-time tie), so merging is commutative, associative and idempotent:
 * whatever order the deliveries take, the record ends where applying them in true time order
 * ends. A change delivered before its hire is kept and survives the older hire; a rehire delivered
 * before the leave it follows keeps the status the leave is older than.
 *
 * Which facts an event sets: a hire, every profile fact and the status (`active`); a change, the
 * profile facts but the start date; a leave, the status (`left`). A fact the event leaves out of an
 * optional field (no manager, no end date) is set to absent at the event's time.
 *
 * Pure: the employees adapter reads the item, merges here and writes with a condition on the
 * per-fact times it read (dynamodb/employees/merge.ts), retrying when another write came between.
 */

export const PROFILE_FACTS = ['role', 'email', 'firstName', 'lastName', 'department', 'managerId', 'managerEmail', 'employmentType', 'startDate', 'endDate', 'attributes'] as const;
export type ProfileFact = (typeof PROFILE_FACTS)[number];
export type FactName = ProfileFact | 'status';

/** The role travels with how it was chosen (the catalogue assignment), so the two never split. */
export interface RoleValue {
  role: string;
  assignment?: Employee['assignment'];
}

export type FactValue = string | RoleValue | Record<string, unknown>;

/** A fact's value (undefined: absent) and the event time that set it (ISO, UTC). */
export interface FactEntry {
  value: FactValue | undefined;
  at: string;
}

export type PersonFacts = Partial<Record<FactName, FactEntry>>;

/** What one event says: each key present is a fact the event sets (to undefined: clears). */
export interface FactEvent {
  occurredAt: string;
  facts: Partial<Record<FactName, FactValue | undefined>>;
}

/** Key order does not matter: `{a, b}` and `{b, a}` are one value. */
function canonical(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** True when `incoming` replaces `current`: a newer event, or at the same instant the greater value. */
export function wins(incoming: FactEntry, current: FactEntry | undefined): boolean {
  if (!current) return true;
  const [a, b] = [Date.parse(incoming.at), Date.parse(current.at)];
  if (a !== b) return a > b;
  return canonical(incoming.value) > canonical(current.value);
}

/** The record after `event`, and the facts it changed (empty: the event was stale for every fact it sets). */
export function mergeEvent(record: PersonFacts, event: FactEvent): { merged: PersonFacts; applied: FactName[] } {
  const at = new Date(event.occurredAt).toISOString();
  const merged: PersonFacts = { ...record };
  const applied: FactName[] = [];
  for (const [name, value] of Object.entries(event.facts) as [FactName, FactValue | undefined][]) {
    const incoming = { value, at };
    if (!wins(incoming, record[name])) continue;
    merged[name] = incoming;
    applied.push(name);
  }
  return { merged, applied };
}

/** Folds events into a record in the order given; any order gives the same record. */
export function mergeAll(events: readonly FactEvent[], record: PersonFacts = {}): PersonFacts {
  return events.reduce((facts, event) => mergeEvent(facts, event).merged, record);
}

function profileFacts(employee: Employee, withStart: boolean): FactEvent['facts'] {
  const role: RoleValue = { role: employee.role, ...(employee.assignment ? { assignment: employee.assignment } : {}) };
  const { email, firstName, lastName, department, managerId, managerEmail, employmentType, endDate, attributes } = employee;
  return { role, email, firstName, lastName, department, managerId, managerEmail, employmentType, endDate, attributes, ...(withStart ? { startDate: employee.startDate } : {}) };
}

export const hireFacts = (employee: Employee, occurredAt: string): FactEvent => ({ occurredAt, facts: { ...profileFacts(employee, true), status: 'active' } });
export const changeFacts = (employee: Employee, occurredAt: string): FactEvent => ({ occurredAt, facts: profileFacts(employee, false) });
export const leaveFacts = (occurredAt: string): FactEvent => ({ occurredAt, facts: { status: 'left' } });

/** The employee the merged record describes, or undefined while a required fact is missing (no hire yet). */
export function employeeOf(employeeId: string, facts: PersonFacts): Employee | undefined {
  const value = (name: ProfileFact) => facts[name]?.value;
  const role = value('role') as RoleValue | undefined;
  const parsed = employeeSchema.safeParse({
    employeeId,
    ...Object.fromEntries(PROFILE_FACTS.filter((name) => name !== 'role').map((name) => [name, value(name)])),
    role: role?.role,
    ...(role?.assignment ? { assignment: role.assignment } : {}),
  });
  return parsed.success ? parsed.data : undefined;
}

/** The newest time any profile fact was set (the item's `hrisOccurredAt`), or undefined. */
export function profileTime(facts: PersonFacts): string | undefined {
  const times = PROFILE_FACTS.flatMap((name) => (facts[name] ? [facts[name].at] : []));
  return times.length === 0 ? undefined : times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}

/**
 * Whether the joiner acts on a hire it merged: when the hire set the person's status (it is the
 * newest status event), or it is a retry of the hire that did. Otherwise the hire is stale: the
 * person left after it, or a hire at least as new already began the employment.
 */
export function hireVerdict(result: { merged: PersonFacts; applied: readonly FactName[] }, retryOfStatusWriter: boolean): { act: true } | { act: false; why: StaleReason } {
  if (result.applied.includes('status') || (retryOfStatusWriter && result.merged.status?.value === 'active')) return { act: true };
  return { act: false, why: result.merged.status?.value === 'left' ? 'left-after' : 'newer-applied' };
}
