import { z } from 'zod';

/**
 * The task contracts of `functions/apply-adoption`, one function serving the two Task states of
 * statemachines/adoption.asl.json, told apart by `action`:
 *
 * | action | state              | reads                         | writes                                              | returns ($.…)            |
 * |--------|--------------------|-------------------------------|-----------------------------------------------------|--------------------------|
 * | start  | Read Stored Plan   | adoptions (the header)        | nothing                                             | StartedAdoption          |
 * | batch  | Apply Next Batch   | adoptions (batch `cursor`)    | employees, grants (once), audit (keyed), the bus    | $.progress: BatchProgress|
 *
 * The plan itself never travels through the execution (256 KiB payload quota): only its id and a
 * cursor. A batch applied again (a retry, or the local cloud resuming the state after a restart)
 * finds what the earlier attempt wrote and counts each person once (domain/adoption/batches.ts).
 */

export const planIdSchema = z.string().regex(/^adopt-[0-9a-f]{16}(-revoke)?$/, 'planId must look like adopt-<16 hex>[-revoke]');

export const countsSchema = z.object({
  batchesDone: z.int().min(0),
  adopted: z.int().min(0),
  grantsRecorded: z.int().min(0),
  hiresSent: z.int().min(0),
  extrasRevoked: z.int().min(0),
});

export const progressSchema = z.object({ cursor: z.int().min(0), counts: countsSchema });

export const startInputSchema = z.object({ action: z.literal('start'), planId: planIdSchema });
export const batchInputSchema = z.object({ action: z.literal('batch'), planId: planIdSchema, ...progressSchema.shape });

export const applyAdoptionInputSchema = z.discriminatedUnion('action', [startInputSchema, batchInputSchema]);
export type ApplyAdoptionInput = z.infer<typeof applyAdoptionInputSchema>;

/**
 * What `functions/apply-adoption` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Adoption workflow: read the stored plan, apply one batch (adopt users, record grants, audit, hire the rest through the joiner).',
  states: ['Read Stored Plan', 'Apply Next Batch'],
} as const;
