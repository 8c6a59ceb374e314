import type { Employee } from '#lib/domain/events/employee-events';
import type { Entitlement } from '#lib/domain/catalogue/schema';
import { MissingApproverError } from '#lib/domain/policy/errors';
import type { Approver, Requester } from '#lib/domain/policy/schema';

/** Mailboxes compare case-insensitively. */
const sameEmail = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

type Person = Pick<Requester, 'employeeId' | 'email'>;

const samePerson = (a: Person, b: Person): boolean => a.employeeId === b.employeeId || sameEmail(a.email, b.email);

/** Whether `person` (the subject or the requester) is the subject's manager. */
const isManagerOf = (subject: Employee, person: Person): boolean =>
  (subject.managerId !== undefined && subject.managerId === person.employeeId) || sameEmail(subject.managerEmail, person.email);

/**
 * The ordered approval chain for the entitlements that need approval: the subject's manager
 * (unless every one's approval policy says `manager: false`), then each entitlement's approvers
 * (its policy's list, else its owner group), each mailbox once, in the order it first appears. Nobody approves their own
 * request: a manager who raised the request is dropped (their request is their say), while
 * a step whose only approver is the subject or the requester cannot be satisfied.
 */
export function buildApprovalChain(subject: Employee, asked: readonly Entitlement[], requester?: Requester): Approver[] {
  const chain: Approver[] = [];
  const managerStep = asked.some((entitlement) => entitlement.approval?.manager !== false) ? managerApprover(subject, requester) : undefined;
  if (managerStep) chain.push(managerStep);
  for (const entitlement of asked) {
    // The entitlement's own approvers (its approval policy), else its owner group: each one an approval it needs.
    const named = entitlement.approval?.approvers;
    for (const email of named ?? [entitlement.ownerGroupEmail]) {
      const existing = chain.find((approver) => sameEmail(approver.email, email));
      if (existing) {
        existing.entitlementIds.push(entitlement.id);
        continue;
      }
      const conflict = sameEmail(email, subject.email) ? 'the subject' : sameEmail(email, requester?.email) ? 'the requester' : undefined;
      if (conflict) {
        const who = named ? `its approver ${email}` : `its owner group ${email}`;
        throw new MissingApproverError(
          `owner approver for ${entitlement.id}`,
          `no one may approve ${entitlement.id} for employee ${subject.employeeId}: ${who} is ${conflict}, who cannot approve their own request`,
        );
      }
      chain.push({ kind: 'entitlement-owner', email, entitlementIds: [entitlement.id] });
    }
  }
  return chain;
}

function managerApprover(subject: Employee, requester: Requester | undefined): Approver | undefined {
  if (requester && !samePerson(requester, subject) && isManagerOf(subject, requester)) return undefined;
  const selfApprover = isManagerOf(subject, subject) ? 'subject' : requester && isManagerOf(subject, requester) ? 'requester' : undefined;
  if (selfApprover) {
    throw new MissingApproverError(
      `manager approver for employee ${subject.employeeId}`,
      `the manager on record for employee ${subject.employeeId} is the ${selfApprover}, who cannot approve their own request`,
    );
  }
  if (subject.managerEmail === undefined) {
    throw new MissingApproverError(
      `managerEmail of employee ${subject.employeeId}`,
      `employee ${subject.employeeId} has no managerEmail on record, and a manager must approve high-risk access`,
    );
  }
  return {
    kind: 'manager',
    email: subject.managerEmail,
    ...(subject.managerId === undefined ? {} : { employeeId: subject.managerId }),
    entitlementIds: [],
  };
}
