import type { DirectoryEmployee } from '../hris/types.ts';
import type { IdentityUser, ManagedPerson, RosterRow } from './inventory.ts';

/**
 * Who is who (issue #14): each HRIS person to at most one Identity Store user, first by the
 * link Gatehouse sets (the enterprise employeeNumber = the employee id), then by e-mail
 * (case-insensitive, the user name or any of the user's e-mails). Never a guess: two users for
 * one address, one user for two people, or a user linked to someone else is reported as
 * ambiguous and nobody is matched. DESIGN.md: "Identity Store users are linked to employees by
 * ExternalIds, never merged by e-mail" — an e-mail match is only ever proposed for a user
 * nobody linked, and the operator reviews the plan before it is applied.
 */

export type MatchedBy = 'employee-number' | 'email';

export interface Ambiguity {
  /** The HRIS people involved (one or more). */
  employeeIds: string[];
  /** The Identity Store users involved (none when the ambiguity is in the HRIS itself). */
  userIds: string[];
  why: string;
}

export interface Matching {
  /** Valid, unique roster people with their user (if exactly one matched). */
  people: { record: DirectoryEmployee; user?: IdentityUser; matchedBy?: MatchedBy }[];
  ambiguous: Ambiguity[];
  invalid: { employeeId: string; problem: string }[];
  /** People Gatehouse already manages (employees table): not re-planned. */
  managed: string[];
  /** Users no HRIS person or managed person claims. */
  unclaimed: IdentityUser[];
}

const lower = (value: string): string => value.trim().toLowerCase();
const addressesOf = (user: IdentityUser): Set<string> => new Set([user.userName, ...user.emails].map(lower));

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function matchPeople(roster: readonly RosterRow[], users: readonly IdentityUser[], managed: readonly ManagedPerson[]): Matching {
  const invalid: Matching['invalid'] = [];
  const ambiguous: Ambiguity[] = [];
  const claimed = new Set<string>();

  // One roster row per employee id: a duplicate id is the HRIS's mistake, and both rows are left out.
  const byId = new Map<string, DirectoryEmployee[]>();
  for (const row of roster) {
    if (row.ok) pushTo(byId, row.record.employeeId, row.record);
    else invalid.push({ employeeId: row.employeeId, problem: row.problem });
  }
  const records: DirectoryEmployee[] = [];
  for (const [employeeId, rows] of byId) {
    if (rows.length > 1) invalid.push({ employeeId, problem: `the roster lists employee id ${employeeId} ${rows.length} times` });
    else if (rows[0]) records.push(rows[0]);
  }

  const managedIds = new Set(managed.map((person) => person.employeeId));
  for (const person of managed) if (person.identityUserId) claimed.add(person.identityUserId);
  const userById = new Map(users.map((user) => [user.userId, user]));
  const linked = new Map<string, IdentityUser[]>();
  const byAddress = new Map<string, IdentityUser[]>();
  for (const user of users) {
    if (user.employeeNumber !== undefined) pushTo(linked, user.employeeNumber, user);
    for (const address of addressesOf(user)) pushTo(byAddress, address, user);
  }
  // A linked user of a managed person is theirs, whatever the employees item recorded.
  for (const id of managedIds) for (const user of linked.get(id) ?? []) claimed.add(user.userId);

  const candidates = new Map<string, { user: IdentityUser; matchedBy: MatchedBy }>();
  const wantedBy = new Map<string, string[]>();
  const unmatched = new Set<string>();
  for (const record of records) {
    if (managedIds.has(record.employeeId)) continue;
    const own = linked.get(record.employeeId) ?? [];
    if (own.length > 1) {
      ambiguous.push({ employeeIds: [record.employeeId], userIds: own.map((user) => user.userId), why: `${own.length} Identity Store users are linked to employee ${record.employeeId}` });
      for (const user of own) claimed.add(user.userId);
      continue;
    }
    const byLink = own[0];
    if (byLink) {
      candidates.set(record.employeeId, { user: byLink, matchedBy: 'employee-number' });
      pushTo(wantedBy, byLink.userId, record.employeeId);
      continue;
    }
    const sameAddress = byAddress.get(lower(record.email)) ?? [];
    const others = sameAddress.filter((user) => user.employeeNumber !== undefined);
    const free = sameAddress.filter((user) => user.employeeNumber === undefined);
    if (others.length > 0) {
      ambiguous.push({
        employeeIds: [record.employeeId],
        userIds: others.map((user) => user.userId),
        why: `the e-mail of ${record.employeeId} belongs to a user linked to employee ${others.map((user) => user.employeeNumber).join(', ')}`,
      });
      continue;
    }
    if (free.length > 1) {
      ambiguous.push({ employeeIds: [record.employeeId], userIds: free.map((user) => user.userId), why: `${free.length} Identity Store users have the e-mail of ${record.employeeId} (user name or e-mails, ignoring case)` });
      for (const user of free) claimed.add(user.userId);
      continue;
    }
    const byEmail = free[0];
    if (byEmail) {
      candidates.set(record.employeeId, { user: byEmail, matchedBy: 'email' });
      pushTo(wantedBy, byEmail.userId, record.employeeId);
    } else unmatched.add(record.employeeId);
  }
  // One user wanted by two people (two HRIS records with one address): nobody gets it.
  const contested = new Set<string>();
  for (const [userId, employeeIds] of wantedBy) {
    claimed.add(userId);
    if (employeeIds.length < 2) continue;
    for (const id of employeeIds) contested.add(id);
    ambiguous.push({ employeeIds, userIds: [userId], why: `${employeeIds.length} HRIS people match user ${userById.get(userId)?.userName ?? userId}` });
  }
  const matched: Matching['people'] = [];
  for (const record of records) {
    if (managedIds.has(record.employeeId) || contested.has(record.employeeId)) continue;
    const candidate = candidates.get(record.employeeId);
    if (candidate) matched.push({ record, ...candidate });
    else if (unmatched.has(record.employeeId)) matched.push({ record });
  }
  return {
    people: matched,
    ambiguous,
    invalid,
    managed: records.filter((record) => managedIds.has(record.employeeId)).map((record) => record.employeeId),
    unclaimed: users.filter((user) => !claimed.has(user.userId)),
  };
}
