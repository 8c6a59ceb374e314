import { z } from 'zod';
import { leaveTaskBase } from '../domain/leaver/schemas.ts';

/**
 * functions/retire-workstation: "Stop Workstation", "Snapshot Volumes", "Terminate Workstation",
 * "Delete Volumes" (leaver, and the mover's "... Old ..." twins), found by the employee tag.
 * Returns WorkstationRevocation (domain/leaver/revoke.ts) under $.results.<step>.
 */
export const retireWorkstationInputSchema = z.object({
  ...leaveTaskBase,
  action: z.enum(['stop', 'snapshot', 'terminate', 'delete-volumes']),
  /** Only resources tagged with one of these entitlement ids (the mover's dropped workstation); absent means all (leaver). */
  entitlementIds: z.array(z.string().min(1)).optional(),
});
export type RetireWorkstationInput = z.infer<typeof retireWorkstationInputSchema>;

/**
 * What `functions/retire-workstation` does (its Lambda description, read by infra/spec/functions) and the ASL
 * Task states that run it (test/unit/architecture/task-contracts.test.ts checks both against the ASL).
 */
export const TASK = {
  description:
    'Leaver "Stop Workstation" / "Snapshot Volumes" / "Terminate Workstation" / "Delete Volumes", by the employee tag.',
  states: [
    'Stop Workstation',
    'Snapshot Volumes',
    'Terminate Workstation',
    'Delete Volumes',
    'Stop Old Workstation',
    'Snapshot Old Volumes',
    'Terminate Old Workstation',
    'Delete Old Volumes',
  ],
} as const;
