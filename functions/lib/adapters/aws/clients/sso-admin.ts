import { SSOAdminClient } from '@aws-sdk/client-sso-admin';

/** Module singleton, created once per container. Endpoint and region come from the environment. */
export const ssoAdminClient = new SSOAdminClient({});
