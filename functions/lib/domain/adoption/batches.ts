import type { ApplyResult } from './apply.ts';
import type { AdoptionPlan } from './plan.ts';

/**
 * A reviewed adoption plan cut into batches for the adoption workflow (issue #14,
 * statemachines/adoption.asl.json). A plan for 10,000 people is megabytes, far past Step
 * Functions' 256 KiB limit on an execution's input and on the data passed between states
 * ("Maximum input or output size for a task, state, or execution: 256 KiB of data as a UTF-8
 * encoded string", https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-task-executions),
 * so the CLI stores it (one header and one item per batch, each well under DynamoDB's 400 KB
 * item limit) and the execution carries only the plan's id and a cursor.
 */

/** People per batch: one Task invocation each (about 1 KB of plan per person, so ~100 KB per item). */
export const ADOPTION_BATCH_SIZE = 100;

export type AdoptionBatch = Pick<AdoptionPlan, 'adopt' | 'create'>;

export interface AdoptionPlanHeader {
  /** The execution's name and the stored plan's key: `adopt-<fingerprint>` (`-revoke` with --revoke-extras). */
  planId: string;
  fingerprint: string;
  source: AdoptionPlan['source'];
  catalogueVersion: string;
  operator: string;
  revokeExtras: boolean;
  batches: number;
  people: number;
  /** What the plan reports and adoption never acts on (the execution's output repeats them). */
  reported: Pick<AdoptionPlan['counts'], 'extras' | 'missing' | 'orphans' | 'ambiguous' | 'undecided' | 'terminated' | 'invalid'>;
}

export const adoptionPlanId = (fingerprint: string, revokeExtras: boolean): string => `adopt-${fingerprint}${revokeExtras ? '-revoke' : ''}`;

export function splitPlan(plan: AdoptionPlan, options: { operator: string; revokeExtras: boolean; size?: number }): { header: AdoptionPlanHeader; batches: AdoptionBatch[] } {
  const size = options.size ?? ADOPTION_BATCH_SIZE;
  const batches: AdoptionBatch[] = [];
  for (let i = 0; i < plan.adopt.length; i += size) batches.push({ adopt: plan.adopt.slice(i, i + size), create: [] });
  for (let i = 0; i < plan.create.length; i += size) batches.push({ adopt: [], create: plan.create.slice(i, i + size) });
  const { extras, missing, orphans, ambiguous, undecided, terminated, invalid } = plan.counts;
  return {
    header: {
      planId: adoptionPlanId(plan.fingerprint, options.revokeExtras),
      fingerprint: plan.fingerprint,
      source: plan.source,
      catalogueVersion: plan.catalogueVersion,
      operator: options.operator,
      revokeExtras: options.revokeExtras,
      batches: batches.length,
      people: plan.adopt.length + plan.create.length,
      reported: { extras, missing, orphans, ambiguous, undecided, terminated, invalid },
    },
    batches,
  };
}

/**
 * What the workflow has done so far, as outcomes rather than attempts: a person adopted by a run
 * that crashed and resumed counts once, whichever attempt wrote them (so a restart changes no count).
 */
export interface AdoptionCounts {
  batchesDone: number;
  adopted: number;
  grantsRecorded: number;
  hiresSent: number;
  extrasRevoked: number;
}

export const NO_COUNTS: AdoptionCounts = { batchesDone: 0, adopted: 0, grantsRecorded: 0, hiresSent: 0, extrasRevoked: 0 };

export function addBatch(counts: AdoptionCounts, result: ApplyResult): AdoptionCounts {
  return {
    batchesDone: counts.batchesDone + 1,
    adopted: counts.adopted + result.adopted + result.alreadyAdopted,
    grantsRecorded: counts.grantsRecorded + result.grantsRecorded + result.grantsAlreadyRecorded,
    hiresSent: counts.hiresSent + result.hiresPublished,
    extrasRevoked: counts.extrasRevoked + result.extrasRevoked + result.extrasAlreadyGone,
  };
}
