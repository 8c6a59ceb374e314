import { ConflictException, CreateGroupCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { roleCatalogue } from '../functions/lib/catalogue/catalogue.ts';
import { LOCAL_IDENTITY_STORE_ID } from './function-env.ts';

/**
 * Identity Center groups are managed by administrators, never created by Gatehouse; the
 * local cloud plays the administrator and creates every group the catalogue names.
 */
export async function seedIdentityCenterGroups(): Promise<void> {
  const client = new IdentitystoreClient({});
  for (const entitlement of roleCatalogue.entitlements) {
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
