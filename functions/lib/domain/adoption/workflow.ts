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
}

export interface StartedAdoption extends Pick<AdoptionPlanHeader, 'planId' | 'fingerprint' | 'batches' | 'people' | 'reported'> {
  progress: BatchProgress;
}

export async function startAdoption(plans: StoredPlan, planId: string): Promise<StartedAdoption> {
  const header = await plans.header(planId);
  return { planId, fingerprint: header.fingerprint, batches: header.batches, people: header.people, reported: header.reported, progress: { cursor: 0, counts: NO_COUNTS } };
}

export async function applyNextBatch(deps: ApplyAdoptionDeps & { plans: StoredPlan }, planId: string, progress: BatchProgress): Promise<BatchProgress> {
  const header = await deps.plans.header(planId);
  const batch = await deps.plans.batch(planId, progress.cursor);
  const result = await applyAdoption(deps, { source: header.source, catalogueVersion: header.catalogueVersion, fingerprint: header.fingerprint, ...batch }, {
    operator: header.operator,
    revokeExtras: header.revokeExtras,
  });
  return { cursor: progress.cursor + 1, counts: addBatch(progress.counts, result) };
}
