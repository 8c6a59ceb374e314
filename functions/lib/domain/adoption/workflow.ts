import { applyAdoption, type ApplyAdoptionDeps } from './apply.ts';
import { addBatch, NO_COUNTS, type AdoptionBatch, type AdoptionCounts, type AdoptionPlanHeader } from './batches.ts';

/**
 * The adoption workflow's steps (statemachines/adoption.asl.json): read the stored plan's header,
 * then apply one batch per Task, the cursor and the counts so far in the state's input. Applying a
 * batch is applyAdoption on that batch: idempotent by person and entitlement.
 */

export interface StoredPlan {
  header(planId: string): Promise<AdoptionPlanHeader>;
  batch(planId: string, index: number): Promise<AdoptionBatch>;
}

export interface BatchProgress {
  /** The next batch to apply (0-based). */
  cursor: number;
  counts: AdoptionCounts;
  /** After a batch of hires: how long the workflow waits before the next batch (hirePace). */
  paceSeconds?: number;
}

/**
 * How the hires a batch sends are paced. Each joiner the batch starts makes its Identity Store
 * calls at once (GetUserId, CreateUser, one CreateGroupMembership per group its role grants), and
 * the Identity Store API allows about 20 requests per second for the whole account: 8,000 joiners
 * started together would be throttled until their retries ran out. So after a batch of hires the
 * workflow waits as long as the rate needs for their calls, and the next batch starts when the
 * last one's calls are through.
 */
export interface HirePacing {
  /** Identity Store requests per second the hires may use. */
  rate: number;
  /** Identity Store calls one joiner makes for a person of `role`. */
  callsPerHire(role: string): number;
}

/** Whole seconds the Identity Store needs, at `pacing.rate`, for the joiners of `hires`. */
export function hirePace(hires: readonly { employee: { role: string } }[], pacing: HirePacing): number {
  const calls = hires.reduce((total, hire) => total + pacing.callsPerHire(hire.employee.role), 0);
  return Math.ceil(calls / pacing.rate);
}

export interface StartedAdoption extends Pick<AdoptionPlanHeader, 'planId' | 'fingerprint' | 'batches' | 'people' | 'reported'> {
  progress: BatchProgress;
}

export async function startAdoption(plans: StoredPlan, planId: string): Promise<StartedAdoption> {
  const header = await plans.header(planId);
  return { planId, fingerprint: header.fingerprint, batches: header.batches, people: header.people, reported: header.reported, progress: { cursor: 0, counts: NO_COUNTS } };
}

export async function applyNextBatch(deps: ApplyAdoptionDeps & { plans: StoredPlan; pacing: HirePacing }, planId: string, progress: BatchProgress): Promise<BatchProgress> {
  const header = await deps.plans.header(planId);
  const batch = await deps.plans.batch(planId, progress.cursor);
  const result = await applyAdoption(deps, { source: header.source, catalogueVersion: header.catalogueVersion, fingerprint: header.fingerprint, ...batch }, {
    operator: header.operator,
    revokeExtras: header.revokeExtras,
  });
  return { cursor: progress.cursor + 1, counts: addBatch(progress.counts, result), paceSeconds: hirePace(batch.create, deps.pacing) };
}
