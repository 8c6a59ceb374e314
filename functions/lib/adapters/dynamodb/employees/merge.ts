import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { conditionalWrite } from '../../aws/call-aws.ts';
import { EMPLOYED_SINCE, employeeItemOf } from './item.ts';
import { TransientError } from '../../../domain/shared/errors.ts';
import { mergeEvent, PROFILE_FACTS, profileTime, type FactEvent, type FactName, type PersonFacts, type RoleValue } from '../../../domain/ordering/merge.ts';

/**
 * The employees item as per-fact registers (domain/ordering/merge.ts): the value attributes as
 * every reader knows them (`role`, `email`, `managerEmail`, `status`, ...), and beside them the
 * event time of each profile fact in the map `factAt` and of the status in `statusOccurredAt`.
 * `hrisOccurredAt` stays the newest profile time, for the readers that compare a whole event.
 *
 * A merge is read, merge, write: the write is conditional on every time it read for the facts
 * the event sets (and on the status), so a write that came between fails the condition and the
 * merge runs again on what it wrote (optimistic concurrency, a few attempts, then TransientError).
 */

export const FACT_TIMES = 'factAt';
/** The hire request that set the person's status: a retry of it acts again, a copy does not. */
export const STATUS_BY = 'statusBy';
/** The leaver execution that claimed the status (leave.ts claimLeave); a newer hire takes the status back. */
const LEAVING_BY = 'leavingBy';

const text = z.string().optional();
const itemSchema = z.looseObject({
  status: text,
  statusOccurredAt: text,
  hrisOccurredAt: text,
  [FACT_TIMES]: z.record(z.string(), z.string()).optional(),
  [STATUS_BY]: text,
  lastRequestId: text,
  [EMPLOYED_SINCE]: text,
});

/** Attribute each profile fact is kept in (the role also keeps its `assignment` map). */
const ATTRIBUTE: Record<Exclude<FactName, 'status'>, string> = Object.fromEntries(PROFILE_FACTS.map((name) => [name, name])) as Record<Exclude<FactName, 'status'>, string>;

export interface ReadFacts {
  facts: PersonFacts;
  /** The item says `left` with no time: the person left before event times were kept. */
  leftUntimed: boolean;
  statusBy?: string;
  generation?: string;
  raw?: Record<string, unknown>;
}

/** The item as registers. An item written before per-fact times falls back to `hrisOccurredAt` for the facts it holds. */
export function readFacts(item: Record<string, unknown> | undefined): ReadFacts {
  if (!item) return { facts: {}, leftUntimed: false };
  const parsed = itemSchema.parse(item);
  const times = parsed[FACT_TIMES] ?? {};
  const facts: PersonFacts = {};
  for (const name of PROFILE_FACTS) {
    const at = times[name] ?? (item[ATTRIBUTE[name]] !== undefined ? parsed.hrisOccurredAt : undefined);
    if (at === undefined) continue;
    const value = item[ATTRIBUTE[name]];
    facts[name] = { at, value: name === 'role' && typeof value === 'string' ? roleValue(value, item.assignment) : (value as never) };
  }
  if (parsed.status !== undefined && parsed.statusOccurredAt !== undefined) facts.status = { value: parsed.status, at: parsed.statusOccurredAt };
  return {
    facts,
    leftUntimed: parsed.status === 'left' && parsed.statusOccurredAt === undefined,
    ...(parsed[STATUS_BY] ?? parsed.lastRequestId ? { statusBy: parsed[STATUS_BY] ?? parsed.lastRequestId } : {}),
    ...(parsed[EMPLOYED_SINCE] ? { generation: parsed[EMPLOYED_SINCE] } : {}),
    raw: item,
  };
}

function roleValue(role: string, assignment: unknown): RoleValue {
  return assignment && typeof assignment === 'object' ? { role, assignment: assignment as RoleValue['assignment'] } : { role };
}

export interface MergeWrite {
  requestId: string;
  at: string;
  /** Set with the facts when the event applied anything (e.g. the hire's `source`). */
  extra?: Record<string, string>;
}

export interface MergeResult {
  before: ReadFacts;
  merged: PersonFacts;
  applied: FactName[];
  /** The person's employment after the write (`employedSince`), when they have one. */
  generation?: string;
}

const ATTEMPTS = 5;

/** Merges `event` into the person's item (see the header); `applied` empty: nothing was written. */
export async function mergeIntoEmployee(
  table: { client: Pick<DynamoDBDocumentClient, 'send'>; tableName: string },
  employeeId: string,
  event: FactEvent,
  write: MergeWrite,
): Promise<MergeResult> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const before = readFacts(await employeeItemOf(table, employeeId));
    const { merged, applied } = mergeEvent(before.facts, event);
    // Someone who left before event times were kept: no status event can be newer than that leave.
    if (applied.length === 0 || (before.leftUntimed && 'status' in event.facts)) return { before, merged: before.facts, applied: [], ...(before.generation ? { generation: before.generation } : {}) };
    const update = updateOf(before, merged, applied, write);
    const written = await conditionalWrite('merging the employee facts', () =>
      table.client.send(new UpdateCommand({ TableName: table.tableName, Key: { employeeId }, ...update })),
    );
    if (written) {
      const activeNow = merged.status?.value === 'active';
      const generation = applied.includes('status') && activeNow ? (before.generation ?? merged.status!.at) : before.generation;
      return { before, merged, applied, ...(generation ? { generation } : {}) };
    }
  }
  throw new TransientError(`employeeId: the record of ${employeeId} kept changing while merging an HRIS event; retry`);
}

function updateOf(before: ReadFacts, merged: PersonFacts, applied: readonly FactName[], write: MergeWrite) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  const name = (attribute: string): string => {
    names[`#${attribute}`] = attribute;
    return `#${attribute}`;
  };
  const set = (attribute: string, value: unknown): void => {
    values[`:${attribute}`] = value;
    sets.push(`${name(attribute)} = :${attribute}`);
  };
  const clear = (attribute: string): void => {
    removes.push(name(attribute));
  };

  for (const fact of applied) {
    const value = merged[fact]?.value;
    if (fact === 'status') continue;
    if (fact === 'role') {
      const role = value as RoleValue;
      set('role', role.role);
      if (role.assignment) set('assignment', role.assignment);
      else clear('assignment');
    } else if (value === undefined) clear(ATTRIBUTE[fact]);
    else set(ATTRIBUTE[fact], value);
  }
  const first = merged.firstName?.value;
  const last = merged.lastName?.value;
  // The person's name as the HRIS spells it, for people-facing pages (console People, Reviews).
  if (typeof first === 'string' && typeof last === 'string') set('displayName', `${first} ${last}`);
  // The byEmail index key: callers of authenticated routes are found by their e-mail, case-insensitively.
  if (typeof merged.email?.value === 'string') set('emailLower', merged.email.value.toLowerCase());
  set(FACT_TIMES, Object.fromEntries(PROFILE_FACTS.flatMap((fact) => (merged[fact] ? [[fact, merged[fact].at]] : []))));
  const hris = profileTime(merged);
  if (hris) set('hrisOccurredAt', hris);
  if (applied.includes('status') && merged.status) {
    set('status', merged.status.value);
    set('statusOccurredAt', merged.status.at);
    set(STATUS_BY, write.requestId);
    clear(LEAVING_BY);
    // The employment begins with the first hire after a leave (item.ts EMPLOYED_SINCE).
    if (merged.status.value === 'active') {
      name(EMPLOYED_SINCE);
      sets.push(`#${EMPLOYED_SINCE} = if_not_exists(#${EMPLOYED_SINCE}, :statusOccurredAt)`);
    }
  }
  for (const [key, value] of Object.entries(write.extra ?? {})) set(key, value);
  set('lastRequestId', write.requestId);
  set('updatedAt', write.at);

  // The condition: every time the merge read for the facts it changed, and the status, are unchanged.
  const conditions: string[] = [];
  const same = (attribute: string, path: string, was: string | undefined): void => {
    if (was === undefined) conditions.push(`attribute_not_exists(${path})`);
    else {
      values[`:was_${attribute}`] = was;
      conditions.push(`${path} = :was_${attribute}`);
    }
  };
  const raw = before.raw ?? {};
  if (before.raw === undefined) conditions.push('attribute_not_exists(employeeId)');
  const times = (raw[FACT_TIMES] ?? {}) as Record<string, string>;
  for (const fact of applied) {
    if (fact === 'status') continue;
    names[`#f_${fact}`] = fact;
    same(`f_${fact}`, `${name(FACT_TIMES)}.#f_${fact}`, times[fact]);
  }
  same('hrisOccurredAt', name('hrisOccurredAt'), raw.hrisOccurredAt as string | undefined);
  same('statusOccurredAt', name('statusOccurredAt'), raw.statusOccurredAt as string | undefined);
  same('status', name('status'), raw.status as string | undefined);

  return {
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
