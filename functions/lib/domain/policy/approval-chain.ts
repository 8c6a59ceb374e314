import type { Employee } from '#lib/domain/events/employee-events';
import type { Entitlement } from '#lib/domain/catalogue/schema';
import { MissingApproverError } from '#lib/domain/policy/errors';
import { quorumStep } from '#lib/domain/policy/quorum';
import type { Approver, ChainStep, QuorumChainStep, Requester } from '#lib/domain/policy/schema';

/** Mailboxes compare case-insensitively. */
const sameEmail = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

type Person = Pick<Requester, 'employeeId' | 'email'>;

const samePerson = (a: Person, b: Person): boolean => a.employeeId === b.employeeId || sameEmail(a.email, b.email);

/** Whether `person` (the subject or the requester) is the subject's manager. */
const isManagerOf = (subject: Employee, person: Person): boolean =>
  (subject.managerId !== undefined && subject.managerId === person.employeeId) || sameEmail(subject.managerEmail, person.email);

/** Whether the entitlement asks the manager in a step of their own (not when its quorum names `manager`). */
const asksManagerFirst = (entitlement: Entitlement): boolean => entitlement.approval?.manager !== false && !entitlement.approval?.quorum?.approvers.includes('manager');

/**
 * The ordered approval chain for the entitlements that need approval: the subject's manager
 * (unless every one's approval policy says `manager: false`, or names the manager in its quorum), then each entitlement's approvers
 * (its policy's list, else its owner group), each mailbox once, in the order it first appears;
 * an entitlement with a quorum is one step asking all its approvers at once (entitlements with the same quorum share it).
 * Nobody approves their own request: a manager who raised the request is dropped (their request is their say), while
 * a step whose only approver is the subject or the requester cannot be satisfied.
 */
export function buildApprovalChain(subject: Employee, asked: readonly Entitlement[], requester?: Requester): ChainStep[] {
  const chain: ChainStep[] = [];
  const managerStep = asked.some(asksManagerFirst) ? managerApprover(subject, requester) : undefined;
  if (managerStep) chain.push(managerStep);
  for (const entitlement of asked) {
    if (entitlement.approval?.quorum) {
      addQuorumStep(chain, quorumChainStep(subject, entitlement, requester));
      continue;
    }
    // The entitlement's own approvers (its approval policy), else its owner group: each one an approval it needs.
    const named = entitlement.approval?.approvers;
    for (const email of named ?? [entitlement.ownerGroupEmail]) {
      const existing = chain.find((approver): approver is Approver => approver.kind !== 'quorum' && sameEmail(approver.email, email));
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

/**
 * The entitlement's quorum as a step: `manager` and `owners` resolved to mailboxes, each mailbox once
 * (one person counts once, whatever they are named as), the subject and the requester dropped (quorum.ts).
 */
function quorumChainStep(subject: Employee, entitlement: Entitlement, requester: Requester | undefined): QuorumChainStep {
  const policy = entitlement.approval!.quorum!;
  const resolved = policy.approvers.flatMap((member) => (member === 'manager' ? (subject.managerEmail ? [subject.managerEmail] : []) : member === 'owners' ? [entitlement.ownerGroupEmail] : [member]));
  const approvers = [...new Set(resolved.map((email) => email.trim().toLowerCase()))];
  if (approvers.length < policy.required && policy.approvers.includes('manager') && subject.managerEmail === undefined) {
    throw new MissingApproverError(
      `managerEmail of employee ${subject.employeeId}`,
      `${entitlement.id} needs ${policy.required} of its approvers, one of them the manager, but employee ${subject.employeeId} has no managerEmail on record`,
    );
  }
  const step = quorumStep(entitlement.id, { approvers, required: policy.required }, { subject, ...(requester ? { requester } : {}) });
  return { kind: 'quorum', approvers: step.approvers, required: step.required, entitlementIds: [entitlement.id] };
}

/** Entitlements whose quorums ask the same people for the same number share one step. */
function addQuorumStep(chain: ChainStep[], step: QuorumChainStep): void {
  const same = chain.find((other): other is QuorumChainStep => other.kind === 'quorum' && other.required === step.required && other.approvers.join() === step.approvers.join());
  if (same) same.entitlementIds.push(...step.entitlementIds);
  else chain.push(step);
}
