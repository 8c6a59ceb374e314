import { ConflictException, CreateGroupCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ConflictException as SchedulerConflict, CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Catalogue } from '../functions/lib/domain/catalogue/schema.ts';
import { SCHEDULE_GROUP_NAME } from '../infra/spec/wiring.ts';
import { LOCAL_IDENTITY_STORE_ID } from './function-env.ts';

/**
 * Permission sets the local Identity Center holds at boot: the AWS managed job-function names an
 * administrator typically creates, and every permission set the catalogue names (not its ARNs).
 */
export function localPermissionSets(catalogue: Catalogue): string[] {
  const named = catalogue.entitlements.flatMap((e) => (e.kind === 'account-assignment' && !e.permissionSet.startsWith('arn:') ? [e.permissionSet] : []));
  return [...new Set(['AdministratorAccess', 'ReadOnlyAccess', ...named])];
}

/** The stack creates the Scheduler group its functions write to; the local cloud does the same. */
export async function seedScheduleGroup(): Promise<void> {
  const client = new SchedulerClient({});
  try {
    await client.send(new CreateScheduleGroupCommand({ Name: SCHEDULE_GROUP_NAME }));
  } catch (error) {
    if (!(error instanceof SchedulerConflict)) throw error;
  } finally {
    client.destroy();
  }
}

/**
 * Identity Center groups are managed by administrators, never created by Gatehouse; the
 * local cloud plays the administrator and creates every group the catalogue names.
 */
export async function seedIdentityCenterGroups(catalogue: Catalogue): Promise<void> {
  const client = new IdentitystoreClient({});
  for (const entitlement of catalogue.entitlements) {
    if (entitlement.kind !== 'group') continue;
    try {
      await client.send(
        new CreateGroupCommand({ IdentityStoreId: LOCAL_IDENTITY_STORE_ID, DisplayName: entitlement.displayName, Description: entitlement.description }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
  }
  client.destroy();
}
