import { launchOperations } from './workstation-launch.ts';
import { retireOperations } from './workstation-retire.ts';
import type { WorkstationDeps, WorkstationPort } from './workstation-model.ts';

export * from './workstation-model.ts';

/**
 * The EC2 adapter for workstations: an instance and a separate data volume per workstation
 * entitlement. Creates carry a ClientToken derived from the request and the entitlement, so
 * a retried launch never launches twice; everything is tagged with the request, so
 * compensation can find what a request created even when its result was lost.
 */
export function createWorkstations({ client, placement }: WorkstationDeps): WorkstationPort {
  return { ...launchOperations(client, placement), ...retireOperations(client) };
}
