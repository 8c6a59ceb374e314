import { IdentitystoreClient } from '@aws-sdk/client-identitystore';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const identitystoreClient = new IdentitystoreClient({});
