import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ForbiddenError, ValidationError } from '#lib/domain/shared/errors';
import type { Entitlement } from '#lib/domain/catalogue/schema';
import type { Employee } from '#lib/domain/events/employee-events';
import { decide } from '#lib/domain/policy/policy';
import { MissingApproverError } from '#lib/domain/policy/errors';
import type { PolicyDecision, PolicyRequest } from '#lib/domain/policy/schema';
import { policyDecisionSchema } from '#lib/domain/policy/schema';
import { aGroup, anEmployee } from '../catalogue/factories.ts';
import type { Approver, ChainStep } from '#lib/domain/policy/schema';

/** The chain's steps as single approvers (these entitlements have no quorum). */
const personSteps = (chain: readonly ChainStep[]): Approver[] => chain.map((step) => (step.kind === 'quorum' ? expect.unreachable('a quorum step') : step));

/** Small pools so subjects, requesters, managers and owner groups collide often. */
const people = ['ana@example.com', 'ben@example.com', 'Cleo@example.com', 'cleo@example.com'];
const ownerGroups = ['platform-owners@example.com', 'data-owners@example.com', 'DATA-OWNERS@example.com'];
const ids = ['E1', 'E2', 'E3'];

const entitlementArb = (owners: readonly string[]): fc.Arbitrary<Entitlement> =>
  fc
    .record({
      name: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
      risk: fc.constantFrom('low', 'high'),
      owner: fc.constantFrom(...owners),
      maxTimeBoundDuration: fc.option(fc.integer({ min: 1, max: 480 }), { nil: undefined }),
    })
    .map(({ name, risk, owner, maxTimeBoundDuration }) => aGroup(name, { risk, ownerGroupEmail: owner, maxTimeBoundDuration }));

const entitlementsArb = (owners: readonly string[]) => fc.uniqueArray(entitlementArb(owners), { selector: (e) => e.id, maxLength: 5 });

const employeeArb: fc.Arbitrary<Employee> = fc
  .record({
    employeeId: fc.constantFrom(...ids),
    email: fc.constantFrom(...people),
    managerId: fc.option(fc.constantFrom(...ids), { nil: undefined }),
    managerEmail: fc.option(fc.constantFrom(...people), { nil: undefined }),
  })
  .map((fields) => anEmployee(fields));

const requesterArb = fc.record({ employeeId: fc.constantFrom(...ids), email: fc.constantFrom(...people) });
const durationArb = fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 600 }).map((m) => `PT${m}M`));

const requestArb = (owners: readonly string[] = [...ownerGroups, ...people]): fc.Arbitrary<PolicyRequest> =>
  fc.oneof(
    fc.record({ kind: fc.constantFrom('joiner', 'mover'), subject: employeeArb, entitlements: entitlementsArb(owners) }),
    fc.record({
      kind: fc.constant('time-bound'),
      subject: employeeArb,
      entitlements: entitlementsArb(owners),
      requester: requesterArb,
      duration: durationArb,
    }),
  );

type Outcome = { ok: PolicyDecision } | { error: unknown };
const attempt = (request: PolicyRequest): Outcome => {
  try {
    return { ok: decide(request) };
  } catch (error) {
    return { error };
  }
};

const same = (a: string | undefined, b: string | undefined) => a !== undefined && a.toLowerCase() === b?.toLowerCase();
const minutes = (duration: number | string) => (typeof duration === 'number' ? duration : Number(duration.slice(2, -1)));

describe('policy properties', () => {
  it('only ever decides or throws a typed domain error, and decisions match the schema', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const outcome = attempt(request);
        if ('ok' in outcome) expect(policyDecisionSchema.parse(outcome.ok)).toEqual(outcome.ok);
        else expect([MissingApproverError, ValidationError, ForbiddenError].some((type) => outcome.error instanceof type)).toBe(true);
      }),
    );
  });

  it('never puts the subject or the requester in the chain', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const outcome = attempt(request);
        fc.pre('ok' in outcome && outcome.ok.decision === 'needs-approval');
        const chain = personSteps('ok' in outcome && outcome.ok.decision === 'needs-approval' ? outcome.ok.chain : []);
        const forbidden = [request.subject, ...(request.kind === 'time-bound' ? [request.requester] : [])];
        expect(chain.length).toBeGreaterThan(0);
        for (const approver of chain) {
          for (const person of forbidden) {
            expect(same(approver.email, person.email)).toBe(false);
            expect(approver.employeeId).not.toBe(person.employeeId);
          }
        }
      }),
    );
  });

  it('is deterministic: equal requests get equal decisions or equal errors', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const first = attempt(request);
        const second = attempt(structuredClone(request));
        if ('ok' in first) expect(second).toEqual(first);
        else expect('error' in second && [(second.error as Error).name, (second.error as Error).message]).toEqual([(first.error as Error).name, (first.error as Error).message]);
      }),
    );
  });

  it('auto-approves a joiner or mover exactly when every entitlement is low risk', () => {
    const joinerOrMover = requestArb(ownerGroups).filter((request) => request.kind !== 'time-bound');
    const seen = new Set<string>();
    fc.assert(
      fc.property(joinerOrMover, (request) => {
        const allLow = request.entitlements.every((entitlement) => entitlement.risk === 'low');
        const outcome = attempt(request);
        const branch = allLow ? 'all low' : 'ok' in outcome ? 'approval' : 'no approver';
        seen.add(branch);
        if (branch === 'all low') expect(outcome).toMatchObject({ ok: { decision: 'auto-approved' } });
        else if ('ok' in outcome) expect(outcome.ok.decision).toBe('needs-approval');
        else expect(outcome.error).toBeInstanceOf(MissingApproverError);
      }),
    );
    // Every branch above asserted something at least once: the property is not vacuous.
    expect([...seen].sort()).toEqual(['all low', 'approval', 'no approver']);
  });

  it('with a proper manager and owner groups, always names the manager first and every high-risk owner once', () => {
    const wellStaffed = fc.record({
      request: requestArb(ownerGroups),
      managerEmail: fc.constant('boss@example.com'),
    });
    fc.assert(
      fc.property(wellStaffed, ({ request: base, managerEmail }) => {
        const request = { ...base, subject: { ...base.subject, managerId: 'M1', managerEmail } };
        const outcome = attempt(request);
        const highRisk = request.entitlements.filter((entitlement) => entitlement.risk === 'high');
        fc.pre(highRisk.length > 0 && 'ok' in outcome);
        const decision = 'ok' in outcome ? outcome.ok : undefined;
        if (decision?.decision !== 'needs-approval') throw new Error(`expected needs-approval, got ${JSON.stringify(decision)}`);
        const [first, ...owners] = personSteps(decision.chain);
        expect(first).toMatchObject({ kind: 'manager', email: managerEmail });
        expect(new Set(owners.map((owner) => owner.email.toLowerCase())).size).toBe(owners.length);
        expect(decision.chain.flatMap((step) => step.entitlementIds).sort()).toEqual(highRisk.map((e) => e.id).sort());
        for (const owner of owners) {
          for (const id of owner.entitlementIds) expect(same(highRisk.find((e) => e.id === id)?.ownerGroupEmail, owner.email)).toBe(true);
        }
      }),
    );
  });

  it('never auto-approves high-risk just-in-time access, and enforces requestability and maximum duration', () => {
    const timeBoundArb = requestArb().filter((request) => request.kind === 'time-bound');
    const seen = new Set<string>();
    fc.assert(
      fc.property(timeBoundArb, (request) => {
        if (request.kind !== 'time-bound') throw new Error('the arbitrary gave a request that is not time-bound');
        const outcome = attempt(request);
        const requested = minutes(request.duration);
        const notRequestable = request.entitlements.some((e) => e.maxTimeBoundDuration === undefined);
        const tooLong = request.entitlements.some((e) => typeof e.maxTimeBoundDuration === 'number' && requested > e.maxTimeBoundDuration);
        const invalid = request.entitlements.length === 0 || (!notRequestable && tooLong);
        seen.add(invalid ? 'invalid' : notRequestable ? 'not requestable' : 'ok' in outcome ? 'decided' : 'no approver');
        if (invalid) expect('error' in outcome && outcome.error).toBeInstanceOf(ValidationError);
        else if (notRequestable) expect('error' in outcome && outcome.error).toBeInstanceOf(ForbiddenError);
        else if ('ok' in outcome) expect(outcome.ok.decision).toBe(request.entitlements.some((e) => e.risk === 'high') ? 'needs-approval' : 'auto-approved');
        else expect(outcome.error).toBeInstanceOf(MissingApproverError);
      }),
    );
    // The rules that refuse and the rule that decides were each exercised, so no branch passes vacuously.
    for (const branch of ['invalid', 'not requestable', 'decided']) expect(seen).toContain(branch);
  });

  it('does not depend on the order entitlements are listed in, beyond the order of owner steps', () => {
    fc.assert(
      fc.property(
        requestArb().chain((request) =>
          fc
            .shuffledSubarray(request.entitlements, { minLength: request.entitlements.length })
            .map((shuffled) => [request, { ...request, entitlements: shuffled }] as const),
        ),
        ([request, shuffled]) => {
          const a = attempt(request);
          const b = attempt(shuffled);
          if ('ok' in a && 'ok' in b) {
            expect(b.ok.decision).toBe(a.ok.decision);
            const approvers = (d: PolicyDecision) => (d.decision === 'needs-approval' ? personSteps(d.chain).map((s) => s.email.toLowerCase()).sort() : []);
            expect(approvers(b.ok)).toEqual(approvers(a.ok));
          } else {
            const errorName = (outcome: typeof a) => ('error' in outcome ? (outcome.error as Error).name : undefined);
            expect(['error' in a, 'error' in b]).toEqual([true, true]);
            expect(errorName(b)).toBe(errorName(a));
          }
        },
      ),
    );
  });
});
