import { launchOperations } from './ec2-launch.ts';
import { retireOperations } from './ec2-retire.ts';
import type { WorkstationDeps } from './ec2-model.ts';
import type { WorkstationPort } from '../../domain/provision/ports.ts';

export * from './ec2-model.ts';

/**
 * The EC2 adapter for workstations: an instance and a separate data volume per workstation
 * entitlement. Creates carry a ClientToken derived from the request and the entitlement, so
 * a retried launch never launches twice; everything is tagged with the request, so
 * compensation can find what a request created even when its result was lost.
 */
export function createWorkstations({ client, placement }: WorkstationDeps): WorkstationPort {
  return { ...launchOperations(client, placement), ...retireOperations(client) };
}
