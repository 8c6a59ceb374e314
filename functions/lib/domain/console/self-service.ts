import type { Catalogue } from '../catalogue/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { requireEmail, type Caller } from '../shared/caller.ts';
import { employeeSchema, type Employee } from '../events/employee-events.ts';
import { requestableEntitlements } from '../time-bound/prepare-time-bound.ts';
import { decide } from '../policy/policy.ts';
import type { ConsoleReads, PageOf, StoredEmployee } from './ports.ts';
import { entitlementName, holdingsOf, requestView, type Holding, type RequestView } from './views.ts';

/** The console pages every signed-in person has: who am I, the catalogue, who would approve, my access. */

export interface SelfServiceDeps {
  catalogue: Catalogue;
  reads: ConsoleReads;
  operatorGroup: string;
  auditorGroup: string;
  now: () => Date;
}

export function whoAmI(deps: SelfServiceDeps, caller: Caller, employee: StoredEmployee | undefined) {
  return {
    email: caller.email ?? null,
    subject: caller.subject,
    groups: caller.groups,
    employeeId: employee?.employeeId ?? null,
    name: employee ? employee.email : (caller.email ?? null),
    operator: caller.groups.includes(deps.operatorGroup),
    auditor: caller.groups.includes(deps.auditorGroup),
  };
}

export function catalogueItems(catalogue: Catalogue) {
  return {
    items: catalogue.entitlements.map((e) => ({
      id: e.id,
      kind: e.kind,
      name: entitlementName(catalogue, e.id),
      description: e.description,
      risk: e.risk,
      owner: e.ownerGroupEmail,
      maxDuration: typeof e.maxTimeBoundDuration === 'number' ? `PT${e.maxTimeBoundDuration}M` : (e.maxTimeBoundDuration ?? null),
    })),
    nextToken: null,
  };
}

/** The employee as policy reads them (the table keeps no names; policy does not use them). */
function asSubject(me: StoredEmployee): Employee {
  const parsed = employeeSchema.safeParse({
    employeeId: me.employeeId,
    email: me.email,
    firstName: me.employeeId,
    lastName: '-',
    role: me.role,
    employmentType: me.employmentType ?? 'employee',
    startDate: me.startDate,
    ...(me.managerEmail ? { managerEmail: me.managerEmail } : {}),
    ...(me.managerId ? { managerId: me.managerId } : {}),
  });
  if (!parsed.success) throw new ValidationError(`the employee record of ${me.employeeId} cannot be read`);
  return parsed.data;
}

async function signedInEmployee(deps: SelfServiceDeps, caller: Caller): Promise<StoredEmployee> {
  const employee = await deps.reads.employeeByEmail(requireEmail(caller));
  if (employee?.status !== 'active') throw new ForbiddenError('caller is not an active employee');
  return employee;
}

/**
 * Who will have to approve `entitlementId` for `duration` if the caller asks for themselves:
 * the same policy (and the same refusals: not requestable, too long, no approver) as the request.
 */
export async function approverPreview(deps: SelfServiceDeps, caller: Caller, entitlementId: string, duration: string) {
  if (!deps.catalogue.entitlements.some((e) => e.id === entitlementId)) throw new NotFoundError(`entitlement ${entitlementId} is not in the catalogue`);
  const me = await signedInEmployee(deps, caller);
  const decision = decide({
    kind: 'time-bound',
    subject: asSubject(me),
    entitlements: requestableEntitlements(deps.catalogue, [entitlementId]),
    requester: { employeeId: me.employeeId, email: me.email.toLowerCase() },
    duration,
  });
  const approvers =
    decision.decision === 'needs-approval'
      ? decision.chain.flatMap((a, i) =>
          a.kind === 'quorum'
            ? a.approvers.map((email) => ({ step: i + 1, email, reason: `any ${a.required} of ${a.approvers.length} approvers of ${a.entitlementIds.join(', ')}` }))
            : [{ step: i + 1, email: a.email, reason: a.kind === 'manager' ? 'your manager' : `owner of ${a.entitlementIds.join(', ')}` }],
        )
      : [];
  return { entitlementId, decision: decision.decision, reason: decision.reason, approvers };
}

export interface MyAccess {
  holdings: Holding[];
  requests: RequestView[];
  nextToken: string | null;
}

/** What I hold and my time-bound requests (newest first, a page at a time) with their live status. */
export async function myAccess(deps: SelfServiceDeps, caller: Caller, nextToken: string | undefined): Promise<MyAccess> {
  const email = requireEmail(caller);
  const me = await deps.reads.employeeByEmail(email);
  if (!me) return { holdings: [], requests: [], nextToken: null };
  const now = deps.now();
  const [grants, page] = await Promise.all([deps.reads.grantsOf(me.employeeId), deps.reads.requestsOf(me.employeeId, 25, nextToken)]);
  const timeBound: PageOf<(typeof page.items)[number]> = { items: page.items.filter((r) => r.kind === 'time-bound'), nextToken: page.nextToken };
  const requests = await Promise.all(timeBound.items.map(async (r) => requestView(r, await deps.reads.approvalsOfRequest(r.requestId), now)));
  return { holdings: holdingsOf(deps.catalogue, grants, now), requests, nextToken: timeBound.nextToken };
}
