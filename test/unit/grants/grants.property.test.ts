import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCatalogue } from '#lib/domain/catalogue/catalogue';
import { resolveEntitlements } from '#lib/domain/catalogue/resolve';
import { roleCatalogue } from '#lib/runtime/catalogue';
import { diffForMove, effectiveEntitlements, grantKey, type Grant, type GrantSource } from '#lib/domain/grants/grants';
import { planExpirySweep, planTimeBoundGrant, planLeave, planRevocation, planRoleChange, type GrantPlan } from '#lib/domain/grants/plan';

/** The deployed catalogue plus two roles that overlap the others, so sources compete often. */
const catalogue = parseCatalogue({
  ...roleCatalogue,
  roles: [
    ...roleCatalogue.roles,
    { id: 'platform', displayName: 'Platform', entitlements: ['group:Engineering', 'group:ProdAdmin', 'workstation:dev-arm'] },
    { id: 'analyst', displayName: 'Analyst', entitlements: ['group:DataScience', 'group:Sales', 'group:ProdReadOnly'] },
  ],
});
const roleIds = catalogue.roles.map((role) => role.id);
const entitlementIds = catalogue.entitlements.map((entitlement) => entitlement.id);
const EMPLOYEE = 'E1001';
const MINUTE = 60_000;

type TimeBoundSource = Extract<GrantSource, { kind: 'time-bound' }>;
type Op =
  | { kind: 'move'; roleId: string }
  | { kind: 'time-bound'; entitlementIds: string[]; minutes: number }
  | { kind: 'tick'; minutes: number; lostSchedules: boolean; reverse: boolean }
  | { kind: 'revoke-early'; pick: number }
  | { kind: 'leave' };
type Step = { op: Op; crashAfter: number | undefined };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('move' as const), roleId: fc.constantFrom(...roleIds) }),
  fc.record({
    kind: fc.constant('time-bound' as const),
    entitlementIds: fc.uniqueArray(fc.constantFrom(...entitlementIds), { minLength: 1, maxLength: 3 }),
    minutes: fc.integer({ min: 1, max: 240 }),
  }),
  fc.record({ kind: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 180 }), lostSchedules: fc.boolean(), reverse: fc.boolean() }),
  fc.record({ kind: fc.constant('revoke-early' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('leave' as const) }),
);
const stepsArb = fc.array(fc.record({ op: opArb, crashAfter: fc.option(fc.nat(12), { nil: undefined }) }), { maxLength: 40 });

/** The real world (grants table + provisioned access) and, separately, what should be true. */
class World {
  now = Date.parse('2025-06-01T08:00:00Z');
  grants: Grant[] = [];
  readonly access = new Set<string>();
  role: string | undefined;
  readonly timeBound = new Map<string, { source: TimeBoundSource; ids: string[] }>();
  private requests = 0;

  get at(): Date {
    return new Date(this.now);
  }

  /** Runs a plan in its documented order, optionally crashing after `crashAfter` steps. */
  apply(plan: GrantPlan, crashAfter?: number): void {
    const key = (grant: Grant) => grantKey(grant.entitlementId, grant.source);
    const steps = [
      ...plan.provision.map((id) => () => void this.access.add(id)),
      ...plan.put.map((grant) => () => void (this.grants.some((g) => key(g) === key(grant)) || this.grants.push(grant))),
      ...plan.revoke.map((id) => () => void this.access.delete(id)),
      ...plan.delete.map((grant) => () => void (this.grants = this.grants.filter((g) => key(g) !== key(grant)))),
    ];
    steps.slice(0, crashAfter ?? steps.length).forEach((run) => run());
  }

  /** Plans, maybe crashes part-way, then retries from whatever state the crash left. */
  run(planNow: () => GrantPlan, crashAfter: number | undefined): void {
    if (crashAfter !== undefined) this.apply(planNow(), crashAfter);
    this.apply(planNow());
  }

  step({ op, crashAfter }: Step): void {
    switch (op.kind) {
      case 'move': {
        const previous = this.role;
        const hasTimeBound = this.timeBound.size > 0;
        const plan = planRoleChange(catalogue, this.grants, EMPLOYEE, op.roleId, this.at);
        if (previous !== undefined) checkAgainstDiff(plan, previous, op.roleId, hasTimeBound);
        this.run(() => planRoleChange(catalogue, this.grants, EMPLOYEE, op.roleId, this.at), crashAfter);
        this.role = op.roleId;
        return;
      }
      case 'time-bound': {
        const source: TimeBoundSource = { kind: 'time-bound', requestId: `req-${++this.requests}`, expiresAt: new Date(this.now + op.minutes * MINUTE).toISOString() };
        this.run(() => planTimeBoundGrant(this.grants, EMPLOYEE, op.entitlementIds, source, this.at), crashAfter);
        this.timeBound.set(source.requestId, { source, ids: op.entitlementIds });
        return;
      }
      case 'tick': {
        this.now += op.minutes * MINUTE;
        const due = [...this.timeBound.values()].filter(({ source }) => Date.parse(source.expiresAt) <= this.now);
        if (op.lostSchedules) this.run(() => planExpirySweep(this.grants, this.at), crashAfter);
        else for (const { source } of op.reverse ? due.reverse() : due) this.run(() => planRevocation(this.grants, source, this.at), crashAfter);
        for (const { source } of due) this.timeBound.delete(source.requestId);
        return;
      }
      case 'revoke-early': {
        const active = [...this.timeBound.values()];
        const chosen = active[op.pick % Math.max(active.length, 1)];
        if (!chosen) return;
        this.run(() => planRevocation(this.grants, chosen.source, this.at), crashAfter);
        this.timeBound.delete(chosen.source.requestId);
        return;
      }
      case 'leave':
        this.run(() => planLeave(this.grants), crashAfter);
        this.role = undefined;
        this.timeBound.clear();
    }
  }

  /** What the current role and the still-running time-bound grants justify: nothing more, nothing less. */
  justified(): string[] {
    const fromRole = this.role === undefined ? [] : resolveEntitlements(catalogue, this.role).map((entitlement) => entitlement.id);
    const fromTimeBound = [...this.timeBound.values()].filter(({ source }) => Date.parse(source.expiresAt) > this.now).flatMap(({ ids }) => ids);
    return [...new Set([...fromRole, ...fromTimeBound])].sort();
  }
}

/** The plan for a move agrees with the catalogue-level diff (exactly, when no time-bound grant muddies it). */
function checkAgainstDiff(plan: GrantPlan, from: string, to: string, hasTimeBound: boolean): void {
  const diff = diffForMove(catalogue, from, to);
  const removable = diff.remove.map((entitlement) => entitlement.id);
  const addable = diff.add.map((entitlement) => entitlement.id);
  if (hasTimeBound) {
    expect(removable).toEqual(expect.arrayContaining(plan.revoke));
    expect(addable).toEqual(expect.arrayContaining(plan.provision));
  } else {
    expect(plan.revoke).toEqual(removable);
    expect(plan.provision).toEqual(addable);
  }
}

describe('grant lifecycle properties', () => {
  it('after any moves, time-bound grants, expiries, early revocations, leaves and crashes, access is exactly what is justified', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const world = new World();
        for (const step of steps) {
          world.step(step);
          expect([...world.access].sort()).toEqual(world.justified());
          expect(effectiveEntitlements(world.grants, world.at)).toEqual(world.justified());
          expect(world.grants.every((grant) => grant.source.kind === 'time-bound' || grant.source.roleId === world.role)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('planning again right after a completed step changes nothing', () => {
    fc.assert(
      fc.property(stepsArb, fc.constantFrom(...roleIds), (steps, roleId) => {
        const world = new World();
        for (const step of steps) world.step(step);
        world.step({ op: { kind: 'move', roleId }, crashAfter: undefined });

        expect(planRoleChange(catalogue, world.grants, EMPLOYEE, roleId, world.at)).toEqual({ provision: [], put: [], revoke: [], delete: [] });
        expect(planExpirySweep(world.grants, world.at)).toEqual({ provision: [], put: [], revoke: [], delete: [] });
      }),
    );
  });
});
