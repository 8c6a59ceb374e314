import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApplyAdoptionDeps } from '#lib/domain/adoption/apply';
import { splitPlan, type AdoptionBatch, type AdoptionPlanHeader } from '#lib/domain/adoption/batches';
import { planAdoption } from '#lib/domain/adoption/plan';
import { applyNextBatch, startAdoption, type BatchProgress, type StoredPlan } from '#lib/domain/adoption/workflow';
import { loadCatalogue } from '#lib/domain/catalogue/load';
import { FakeClock, MemoryAudit } from '../joiner/fakes.ts';
import { company, companyInventory, ISSUE_COMPANY } from '../../support/adoption-company.ts';

/**
 * The issue's company (#14): 2,000 people, 1,500 with Identity Store users (200 of them with a
 * membership no rule justifies), 20 users matching nobody, 5 people whose address two users hold.
 * The plan's counts are exactly those; applying it batch by batch, as the workflow does, adopts
 * 1,500 and hires 500, and a crash halfway, resumed at the batch that failed (as Step Functions
 * resumes the failed state), changes none of the counts and writes nothing twice.
 */
const ref = loadCatalogue(readFileSync('config/role-catalogue.json', 'utf8'), 'config/role-catalogue.json');
const plan = planAdoption(companyInventory(company(ISSUE_COMPANY)), ref);

function world(crashAt?: string) {
  const clock = new FakeClock();
  const employees = new Set<string>();
  const grants = new Set<string>();
  const hires = new Map<string, number>();
  let crash = crashAt;
  const deps: ApplyAdoptionDeps = {
    clock,
    audit: new MemoryAudit(clock),
    employees: {
      recordAdopted: ({ employee }) => {
        if (employee.employeeId === crash) {
          crash = undefined;
          return Promise.reject(new Error(`the function died while recording ${employee.employeeId}`));
        }
        if (employees.has(employee.employeeId)) return Promise.resolve('exists');
        employees.add(employee.employeeId);
        return Promise.resolve('written');
      },
    },
    grants: { putIfAbsent: (item) => Promise.resolve(grants.size < grants.add(`${item.employeeId}/${item.grantKey}`).size) },
    hires: { publish: (events) => (events.forEach((e) => hires.set(e.deliveryId, (hires.get(e.deliveryId) ?? 0) + 1)), Promise.resolve()) },
    memberships: { removeMembership: () => Promise.reject(new Error('adoption without --revoke-extras removes nothing')) },
  };
  return { deps, employees, grants, hires };
}

function stored(header: AdoptionPlanHeader, batches: AdoptionBatch[]): StoredPlan {
  return { header: () => Promise.resolve(header), batch: (_id, index) => Promise.resolve(batches[index] as AdoptionBatch) };
}

/** The state machine's loop: Apply Next Batch until the cursor reaches the batches; a failed Task is run again with the same input. */
/** Hires paced at 20 Identity Store calls per second, 4 calls per joiner. */
const pacing = { rate: 20, callsPerHire: () => 4 };

async function runWorkflow(w: ReturnType<typeof world>, plans: StoredPlan, planId: string): Promise<{ progress: BatchProgress; failures: number; paced: number[] }> {
  const started = await startAdoption(plans, planId);
  let progress = started.progress;
  let failures = 0;
  const paced: number[] = [];
  while (progress.cursor < started.batches) {
    try {
      progress = await applyNextBatch({ ...w.deps, plans, pacing }, planId, progress);
      paced.push(progress.paceSeconds ?? -1);
    } catch {
      failures += 1;
    }
  }
  return { progress, failures, paced };
}

describe('adopting the issue company of 2,000 people', () => {
  it('plans exactly the company: 1,500 to adopt, 500 to hire, 200 extras, 20 orphans, 5 ambiguous', () => {
    expect(plan.counts).toEqual({ adopt: 1_500, create: 500, grants: 3_000, missing: 0, extras: 200, undecided: 0, terminated: 0, ambiguous: 5, invalid: 0, orphans: 20, managed: 0 });
    expect(plan.adopt.filter((a) => a.extras.length > 0).every((a) => a.extras.map((e) => e.groupName).join() === 'Finance')).toBe(true);
  });

  it('stores the plan in batches under 256 KiB each and passes only ids', () => {
    const { header, batches } = splitPlan(plan, { operator: 'ops', revokeExtras: false });
    expect(header).toMatchObject({ planId: `adopt-${plan.fingerprint}`, batches: 20, people: 2_000, reported: { extras: 200, orphans: 20, ambiguous: 5 } });
    expect(Buffer.byteLength(JSON.stringify(plan))).toBeGreaterThan(256 * 1024);
    expect(Math.max(...batches.map((b) => Buffer.byteLength(JSON.stringify(b))))).toBeLessThan(256 * 1024);
    expect(batches.flatMap((b) => [...b.adopt, ...b.create]).map((p) => p.employeeId).sort()).toEqual([...plan.adopt, ...plan.create].map((p) => p.employeeId).sort());
  });

  it('applies it: 1,500 adopted, 500 hired once each; a crash halfway changes none of the counts', async () => {
    const { header, batches } = splitPlan(plan, { operator: 'ops', revokeExtras: false });
    const plans = stored(header, batches);
    const clean = world();
    const straight = await runWorkflow(clean, plans, header.planId);
    expect(straight.failures).toBe(0);
    expect(straight.progress).toEqual({ cursor: 20, counts: { batchesDone: 20, adopted: 1_500, grantsRecorded: 3_000, hiresSent: 500, extrasRevoked: 0 }, paceSeconds: 20 });
    // 15 batches of adoptions need no wait; each batch of 100 hires waits 100 x 4 calls / 20 per s.
    expect(straight.paced).toEqual([...Array<number>(15).fill(0), ...Array<number>(5).fill(20)]);

    const halfway = plan.adopt[plan.adopt.length / 2 + 37]?.employeeId;
    const crashed = world(halfway);
    const resumed = await runWorkflow(crashed, plans, header.planId);
    expect(resumed.failures).toBe(1);
    expect(resumed.progress).toEqual(straight.progress);
    expect([crashed.employees.size, crashed.grants.size, crashed.hires.size]).toEqual([1_500, 3_000, 500]);
    expect([...crashed.hires.values()].every((n) => n === 1)).toBe(true);
  });
});
