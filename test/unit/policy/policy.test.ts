import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '#lib/domain/shared/errors';
import { findEntitlement, resolveEntitlements } from '#lib/domain/catalogue/resolve';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { decide } from '#lib/domain/policy/policy';
import { MissingApproverError } from '#lib/domain/policy/errors';
import type { PolicyRequest } from '#lib/domain/policy/schema';
import { policyDecisionSchema, policyRequestSchema } from '#lib/domain/policy/schema';
import type { Entitlement } from '#lib/domain/catalogue/schema';
import { aGroup, anEmployee, thrownBy } from '../catalogue/factories.ts';
import type { Approver, ChainStep } from '#lib/domain/policy/schema';

/** The chain's steps as single approvers (these entitlements have no quorum). */
const personSteps = (chain: readonly ChainStep[]): Approver[] => chain.map((step) => (step.kind === 'quorum' ? expect.unreachable('a quorum step') : step));

const entitlement = (id: string) => findEntitlement(roleCatalogue, id);
const subject = anEmployee();
const manager = { employeeId: 'E0042', email: 'maya.chen@example.com' };
const colleague = { employeeId: 'E2002', email: 'ben.okafor@example.com' };
const self = { employeeId: subject.employeeId, email: subject.email };

function timeBound(ids: string[], duration: number | string = 'PT1H', requester = self): PolicyRequest {
  return { kind: 'time-bound', subject, entitlements: ids.map(entitlement), requester, duration };
}

function missingApprover(request: PolicyRequest): MissingApproverError {
  const error = thrownBy(() => decide(request));
  expect(error).toBeInstanceOf(MissingApproverError);
  return error as MissingApproverError;
}

describe('joiners and movers', () => {
  it('auto-approves a role whose entitlements are all low risk, recording why', () => {
    const decision = decide({ kind: 'joiner', subject, entitlements: resolveEntitlements(roleCatalogue, 'engineer') });

    expect(decision).toEqual({
      decision: 'auto-approved',
      reason: 'joiner E1001: all entitlements are low risk (group:AllStaff, group:Engineering, group:ProdReadOnly, workstation:dev-arm)',
    });
  });

  it('auto-approves a move that adds nothing', () => {
    expect(decide({ kind: 'mover', subject, entitlements: [] })).toEqual({
      decision: 'auto-approved',
      reason: 'mover E1001: nothing to grant',
    });
  });

  it('asks the manager, then the owner group, for a high-risk role', () => {
    const decision = decide({ kind: 'joiner', subject, entitlements: resolveEntitlements(roleCatalogue, 'data-scientist') });

    expect(decision).toEqual({
      decision: 'needs-approval',
      reason: 'joiner E1001: high-risk entitlements need approval (workstation:gpu)',
      chain: [
        { kind: 'manager', email: 'maya.chen@example.com', employeeId: 'E0042', entitlementIds: [] },
        { kind: 'entitlement-owner', email: 'data-owners@example.com', entitlementIds: ['workstation:gpu'] },
      ],
    });
  });

  it('lists each owner group once, in the order its first entitlement appears', () => {
    const decision = decide({
      kind: 'mover',
      subject,
      entitlements: ['group:CustomerDataRaw', 'group:ProdAdmin', 'group:Engineering', 'workstation:gpu'].map(entitlement),
    });

    expect(decision.decision === 'needs-approval' && decision.chain).toEqual([
      { kind: 'manager', email: 'maya.chen@example.com', employeeId: 'E0042', entitlementIds: [] },
      { kind: 'entitlement-owner', email: 'data-owners@example.com', entitlementIds: ['group:CustomerDataRaw', 'workstation:gpu'] },
      { kind: 'entitlement-owner', email: 'platform-owners@example.com', entitlementIds: ['group:ProdAdmin'] },
    ]);
  });

  it('treats owner emails case-insensitively when deduplicating', () => {
    const a = aGroup('A', { risk: 'high', ownerGroupEmail: 'Owners@example.com' });
    const b = aGroup('B', { risk: 'high', ownerGroupEmail: 'owners@EXAMPLE.com' });

    const decision = decide({ kind: 'joiner', subject, entitlements: [a, b] });

    expect(decision.decision === 'needs-approval' && personSteps(decision.chain).map((step) => [step.email, step.entitlementIds])).toEqual([
      ['maya.chen@example.com', []],
      ['Owners@example.com', ['group:A', 'group:B']],
    ]);
  });

  it('folds an owner group that is also the manager into the manager step', () => {
    const owned = aGroup('Team', { risk: 'high', ownerGroupEmail: 'MAYA.CHEN@example.com' });

    const decision = decide({ kind: 'joiner', subject, entitlements: [owned] });

    expect(decision.decision === 'needs-approval' && decision.chain).toEqual([
      { kind: 'manager', email: 'maya.chen@example.com', employeeId: 'E0042', entitlementIds: ['group:Team'] },
    ]);
  });

  it('omits the manager id when the HRIS gave only an email', () => {
    const decision = decide({ kind: 'joiner', subject: anEmployee({ managerId: undefined }), entitlements: [entitlement('group:ProdAdmin')] });

    expect(decision.decision === 'needs-approval' && decision.chain[0]).toEqual({
      kind: 'manager',
      email: 'maya.chen@example.com',
      entitlementIds: [],
    });
  });

  it('fails with MissingApproverError (422) when a high-risk grant has no manager to ask', () => {
    const error = missingApprover({
      kind: 'joiner',
      subject: anEmployee({ managerEmail: undefined, managerId: undefined }),
      entitlements: [entitlement('group:BillingAdmin')],
    });

    expect(error).toMatchObject({ name: 'MissingApproverError', statusCode: 422, expose: true, retryable: false });
    expect(error.missing).toBe('managerEmail of employee E1001');
    expect(error.message).toContain('has no managerEmail');
  });

  it('needs no manager when nothing is high risk', () => {
    const decision = decide({ kind: 'joiner', subject: anEmployee({ managerEmail: undefined }), entitlements: [entitlement('group:Sales')] });

    expect(decision.decision).toBe('auto-approved');
  });

  it('refuses a chain where the subject is their own manager', () => {
    const error = missingApprover({
      kind: 'joiner',
      subject: anEmployee({ managerEmail: 'ANA.SILVA@example.com', managerId: undefined }),
      entitlements: [entitlement('group:ProdAdmin')],
    });

    expect(error.missing).toBe('manager approver for employee E1001');
    expect(error.message).toContain('is the subject');
  });

  it('refuses a chain where the subject is the only owner of what they would get', () => {
    const owned = aGroup('Mine', { risk: 'high', ownerGroupEmail: subject.email });

    const error = missingApprover({ kind: 'mover', subject, entitlements: [owned] });

    expect(error.missing).toBe('owner approver for group:Mine');
  });
});

describe('just-in-time requests', () => {
  it('auto-approves a low-risk requestable entitlement within its maximum', () => {
    expect(decide(timeBound(['group:ProdReadOnly'], 'P1D'))).toEqual({
      decision: 'auto-approved',
      reason: 'just-in-time grant for E1001 (1440 minutes): all entitlements are low risk (group:ProdReadOnly)',
    });
  });

  it('always sends a high-risk request to the manager and the owner group', () => {
    const decision = decide(timeBound(['group:ProdAdmin'], 30, colleague));

    expect(decision).toMatchObject({
      decision: 'needs-approval',
      reason: 'just-in-time grant for E1001 (30 minutes): high-risk entitlements need approval (group:ProdAdmin)',
    });
    expect(decision.decision === 'needs-approval' && personSteps(decision.chain).map((step) => step.email)).toEqual([
      'maya.chen@example.com',
      'platform-owners@example.com',
    ]);
  });

  it.each([
    ['employee id', { employeeId: manager.employeeId, email: 'maya@other.example.com' }],
    ['email', { employeeId: 'E9999', email: 'Maya.Chen@example.com' }],
  ])('drops the manager who raised the request (matched by %s), keeping the owner step', (_by, requester) => {
    const decision = decide(timeBound(['group:ProdAdmin'], 'PT4H', requester));

    expect(decision.decision === 'needs-approval' && decision.chain).toEqual([
      { kind: 'entitlement-owner', email: 'platform-owners@example.com', entitlementIds: ['group:ProdAdmin'] },
    ]);
  });

  it('does not let a self-managed employee skip the manager step by asking for themself', () => {
    const boss = anEmployee({ managerId: subject.employeeId, managerEmail: undefined });
    const request: PolicyRequest = { kind: 'time-bound', subject: boss, entitlements: [entitlement('group:ProdAdmin')], requester: self, duration: 60 };

    expect(missingApprover(request).message).toContain('is the subject');
  });

  it('refuses when the requester is the owner group that would approve', () => {
    const error = missingApprover(timeBound(['group:ProdAdmin'], 'PT1H', { employeeId: 'E7', email: 'platform-owners@example.com' }));

    expect(error.message).toContain('is the requester');
  });

  it('accepts exactly the maximum and rejects one minute more, naming both', () => {
    expect(decide(timeBound(['group:ProdAdmin'], 240)).decision).toBe('needs-approval');

    const error = thrownBy(() => decide(timeBound(['group:ProdAdmin'], 241)));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('duration: 241 minutes exceeds the 240-minute maximum for group:ProdAdmin');
  });

  it('checks the duration against every entitlement in the request', () => {
    expect(() => decide(timeBound(['group:ProdReadOnly', 'group:BillingAdmin'], 'PT3H'))).toThrow(/180 minutes exceeds the 120-minute maximum for group:BillingAdmin/);
  });

  it.each([['group:Engineering'], ['group:ProdReadOnly', 'workstation:gpu']])('forbids entitlements with no just-in-time maximum: %j', (...ids) => {
    const error = thrownBy(() => decide(timeBound(ids)));

    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).message).toMatch(/cannot be requested just-in-time$/);
  });

  it('reports a non-requestable entitlement before an over-long duration', () => {
    expect(() => decide(timeBound(['group:ProdAdmin', 'group:Sales'], 'P2D'))).toThrow(ForbiddenError);
  });

  it.each([0, -10, 'P1Y', 'PT30S'])('rejects the duration %j', (duration) => {
    expect(() => decide(timeBound(['group:ProdAdmin'], duration))).toThrow(ValidationError);
  });

  it('rejects a request for nothing', () => {
    expect(() => decide(timeBound([]))).toThrow(/at least one entitlement/);
  });
});

describe('contracts', () => {
  it('produces decisions that parse with the decision schema', () => {
    const decisions = [decide(timeBound(['group:ProdAdmin'])), decide({ kind: 'joiner', subject, entitlements: [] })];

    for (const decision of decisions) expect(policyDecisionSchema.parse(decision)).toEqual(decision);
  });

  it('parses a just-in-time request and rejects one with no requester', () => {
    const request = timeBound(['group:ProdAdmin']);

    expect(policyRequestSchema.parse(request)).toEqual(request);
    expect(policyRequestSchema.safeParse({ ...request, requester: undefined }).success).toBe(false);
  });
});

describe('per-entitlement approver policy', () => {
  const prodAdmin = entitlement('account-assignment:ProdAdministrator');
  const withPolicy = (approval: Record<string, unknown>, base = prodAdmin) => ({ ...base, approval: { manager: true, always: false, ...approval } });

  it('asks the named approvers in order, each once, after the manager, instead of the owner group', () => {
    const named = withPolicy({ approvers: ['sec-lead@example.com', 'cto@example.com'] });
    const decision = decide({ ...timeBound([]), entitlements: [named, withPolicy({ approvers: ['cto@example.com'] }, entitlement('group:ProdAdmin'))] });

    expect(decision).toMatchObject({ decision: 'needs-approval' });
    expect(decision.decision === 'needs-approval' && decision.chain).toEqual([
      { kind: 'manager', email: 'maya.chen@example.com', employeeId: 'E0042', entitlementIds: [] },
      { kind: 'entitlement-owner', email: 'sec-lead@example.com', entitlementIds: ['account-assignment:ProdAdministrator'] },
      { kind: 'entitlement-owner', email: 'cto@example.com', entitlementIds: ['account-assignment:ProdAdministrator', 'group:ProdAdmin'] },
    ]);
  });

  it('leaves the manager out when the policy says so, and asks for a low-risk entitlement when it says always', () => {
    const low = withPolicy({ approvers: ['staging-owner@example.com'], manager: false, always: true }, { ...prodAdmin, risk: 'low' as const });
    const decision = decide({ ...timeBound([]), entitlements: [low] });

    expect(decision).toEqual({
      decision: 'needs-approval',
      reason: 'just-in-time grant for E1001 (60 minutes): their approval policy asks for approval (account-assignment:ProdAdministrator)',
      chain: [{ kind: 'entitlement-owner', email: 'staging-owner@example.com', entitlementIds: ['account-assignment:ProdAdministrator'] }],
    });
  });

  it('asks a quorum in one step: manager and owners resolved, each person once, the requester dropped, no separate manager step', () => {
    const quorum = withPolicy({ quorum: { approvers: ['sec-lead@example.com', 'owners', 'manager', 'Maya.Chen@example.com', colleague.email], required: 2 } });
    const decision = decide({ ...timeBound([], 'PT1H', colleague), entitlements: [quorum] });

    expect(decision.decision === 'needs-approval' && decision.chain).toEqual([
      { kind: 'quorum', approvers: ['sec-lead@example.com', prodAdmin.ownerGroupEmail, 'maya.chen@example.com'], required: 2, entitlementIds: ['account-assignment:ProdAdministrator'] },
    ]);
  });

  it('keeps the manager first when the quorum does not name them, and shares one step between entitlements with the same quorum', () => {
    const policy = { quorum: { approvers: ['a@example.com', 'b@example.com', 'c@example.com'], required: 2 } };
    const decision = decide({ ...timeBound([]), entitlements: [withPolicy(policy), withPolicy(policy, entitlement('group:ProdAdmin'))] });

    expect(decision.decision === 'needs-approval' && decision.chain).toEqual([
      { kind: 'manager', email: 'maya.chen@example.com', employeeId: 'E0042', entitlementIds: [] },
      { kind: 'quorum', approvers: ['a@example.com', 'b@example.com', 'c@example.com'], required: 2, entitlementIds: ['account-assignment:ProdAdministrator', 'group:ProdAdmin'] },
    ]);
  });

  it('refuses a quorum that the manager on record cannot fill: no managerEmail, or too few left once the requester is dropped', () => {
    const withManager = withPolicy({ quorum: { approvers: ['a@example.com', 'manager'], required: 2 } });
    const noManager = { ...subject, managerEmail: undefined, managerId: undefined };
    expect((thrownBy(() => decide({ ...timeBound([]), subject: noManager, entitlements: [withManager] })) as Error).message).toContain('has no managerEmail on record');
    const error = missingApprover({ ...timeBound([], 'PT1H', colleague), entitlements: [withPolicy({ quorum: { approvers: ['a@example.com', colleague.email], required: 2 } })] });
    expect(error.message).toContain(`needs 2 of 2 approvers, but only 1 may approve this request: ${colleague.email} cannot approve their own request`);
  });

  it('refuses a chain in which a named approver is the requester', () => {
    const named = withPolicy({ approvers: [colleague.email] });
    const error = missingApprover({ ...timeBound([], 'PT1H', colleague), entitlements: [named] });
    expect(error.message).toContain(`its approver ${colleague.email} is the requester`);
  });
});

describe('break-glass', () => {
  const marked = { ...entitlement('account-assignment:ProdAdministrator'), breakGlass: { maxDuration: 'PT1H' } };
  const request = (duration: string, requester = self, entitlements: Entitlement[] = [marked]): PolicyRequest => ({ kind: 'time-bound', subject, entitlements, requester, duration, breakGlass: true });

  it('grants an entitlement marked break-glass at once, without approval, saying so', () => {
    expect(decide(request('PT30M'))).toEqual({
      decision: 'auto-approved',
      reason: 'break-glass grant for E1001 (30 minutes) of account-assignment:ProdAdministrator: granted at once without approval; audited as break-glass, reviewed by an owner afterwards',
    });
  });

  it('refuses an entitlement not marked break-glass (403), a longer duration (400), and a request for someone else (403)', () => {
    expect(thrownBy(() => decide(request('PT30M', self, [entitlement('account-assignment:ProdAdministrator')])))).toMatchObject({
      name: 'ForbiddenError',
      message: 'breakGlass: account-assignment:ProdAdministrator is not marked break-glass in the catalogue',
    });
    expect(thrownBy(() => decide(request('PT2H')))).toMatchObject({ name: 'ValidationError', message: 'duration: 120 minutes exceeds the 60-minute break-glass maximum for account-assignment:ProdAdministrator' });
    expect(thrownBy(() => decide(request('PT30M', colleague)))).toBeInstanceOf(ForbiddenError);
  });
});
